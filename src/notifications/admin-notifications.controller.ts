import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { uuidPipe, pageRequestOf } from '@helpdesk/common';
import { access } from 'src/access/access.decorators';
import { Endpoint } from 'src/access/endpoint.decorator';
import { NotificationQueryDto } from './dto/notification.requests';
import {
  NotificationPageResponse,
  NotificationResponse,
  toNotificationResponse,
} from './dto/notification.response';
import { NotificationsService } from './notifications.service';

@ApiTags('notifications')
@Controller('api/v1/admin/notifications')
export class AdminNotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @Endpoint({
    operationId: 'listNotifications',
    summary: 'List email notifications and their delivery state',
    access: access.roles('admin'),
    problems: [422],
  })
  @ApiOkResponse({ type: NotificationPageResponse })
  async list(@Query() query: NotificationQueryDto): Promise<NotificationPageResponse> {
    const page = await this.notifications.list({
      status: query.status,
      ...pageRequestOf(query),
    });
    return { ...page, items: page.items.map(toNotificationResponse) };
  }

  @Post(':id/retry')
  @Endpoint({
    operationId: 'retryNotification',
    summary: 'Put a failed notification back on the queue',
    access: access.roles('admin'),
    audit: 'notification.retry',
    problems: [404, 409, 422],
  })
  @HttpCode(202)
  @ApiAcceptedResponse({ type: NotificationResponse, description: 'Back on the queue' })
  async retry(@Param('id', uuidPipe) id: string): Promise<NotificationResponse> {
    return toNotificationResponse(await this.notifications.retry(id));
  }
}
