import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, uuidPipe, pageRequestOf } from '@helpdesk/common';
import { Audited } from 'src/access/audited.decorator';
import { Roles } from 'src/access/access.decorators';
import { NotificationQueryDto } from './dto/notification.requests';
import {
  NotificationPageResponse,
  NotificationResponse,
  toNotificationResponse,
} from './dto/notification.response';
import { NotificationsService } from './notifications.service';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('api/v1/admin/notifications')
@Roles('admin')
export class AdminNotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOkResponse({ type: NotificationPageResponse })
  @ApiProblems(401, 403, 422)
  async list(@Query() query: NotificationQueryDto): Promise<NotificationPageResponse> {
    const page = await this.notifications.list({
      status: query.status,
      ...pageRequestOf(query),
    });
    return { ...page, items: page.items.map(toNotificationResponse) };
  }

  @Post(':id/retry')
  @HttpCode(202)
  @Audited('notification.retry')
  @ApiAcceptedResponse({ type: NotificationResponse, description: 'Back on the queue' })
  @ApiProblems(401, 403, 404, 409, 422)
  async retry(@Param('id', uuidPipe) id: string): Promise<NotificationResponse> {
    return toNotificationResponse(await this.notifications.retry(id));
  }
}
