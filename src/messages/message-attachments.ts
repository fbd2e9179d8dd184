import type { AttachmentResponse } from 'src/attachments/dto/attachment.response';

/**
 * Where message responses get their `attachments` from, without messages importing the
 * attachments module (which itself needs messages, to check `message_id`). The attachments module
 * registers one; until then every message has none.
 */
export interface MessageAttachmentSource {
  /**
   * The attachments of these messages (all of one ticket) in one query, by message id, oldest
   * first. For the `customer` audience: public attachments only, mapped for customers.
   */
  forMessages(
    messageIds: readonly string[],
    audience: 'staff' | 'customer',
  ): Promise<Map<string, AttachmentResponse[]>>;
}
