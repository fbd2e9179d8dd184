import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { In, IsNull } from 'typeorm';
import { Attachment } from './attachment.entity';
import type { AttachmentVisibility } from './attachment-visibility';

/** Reads see live rows only (TypeORM adds `deleted_at IS NULL` for the DeleteDateColumn). */
@Injectable()
export class AttachmentsRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  private get repo() {
    return this.txHost.tx.getRepository(Attachment);
  }

  /** Inserts the rows in one statement and reads them back with their uploader, in order. */
  async insertMany(attachments: Attachment[]): Promise<Attachment[]> {
    await this.repo.insert(attachments);
    const saved = await this.repo.find({
      where: { id: In(attachments.map((a) => a.id)) },
      relations: { uploadedBy: true },
    });
    const byId = new Map(saved.map((a) => [a.id, a]));
    return attachments.map((a) => byId.get(a.id)!);
  }

  findLive(id: string): Promise<Attachment | null> {
    return this.repo.findOne({ where: { id }, relations: { uploadedBy: true } });
  }

  /** A ticket's attachments, oldest first; `public` only when a customer is asking. */
  forTicket(ticketId: string, only?: AttachmentVisibility): Promise<Attachment[]> {
    return this.repo.find({
      where: { ticketId, ...(only ? { visibility: only } : {}) },
      relations: { uploadedBy: true },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  /** The attachments of several messages in one query, oldest first. */
  forMessages(messageIds: readonly string[], only?: AttachmentVisibility): Promise<Attachment[]> {
    if (!messageIds.length) return Promise.resolve([]);
    return this.repo.find({
      where: { messageId: In([...messageIds]), ...(only ? { visibility: only } : {}) },
      relations: { uploadedBy: true },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  /** Soft-deletes a live row; false when it was already gone (a concurrent delete won). */
  async markDeleted(id: string): Promise<boolean> {
    const result = await this.repo.update(
      { id, deletedAt: IsNull() },
      { deletedAt: () => 'now()' },
    );
    return (result.affected ?? 0) > 0;
  }
}
