import { Module } from '@nestjs/common';
import { MessagesRepository } from './messages.repository';
import { MessagesService } from './messages.service';

/**
 * The conversation's record: messages stored and read. Adding one is a use case of
 * src/ticket-workflow/, which also serves the message routes.
 */
@Module({
  providers: [MessagesService, MessagesRepository],
  exports: [MessagesService],
})
export class MessagesModule {}
