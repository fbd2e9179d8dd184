import { ConflictError } from '@helpdesk/common';

/** A retry of a notification that has already gone out (it would send the email twice). */
export class NotificationAlreadySentError extends ConflictError {
  constructor(id: string) {
    super(`Notification ${id} has already been sent.`);
  }
}
