import { Injectable } from '@nestjs/common';

/**
 * The application's idea of "now", for rules that compare against time (SLA due times, the
 * sweep, auto-close, a ticket's lifecycle timestamps). One injectable instance, so tests can move
 * time instead of sleeping (`controlClock` in @helpdesk/testing).
 */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
