import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ApiProblems, CreatedAt, uuidPipe, uuidPipeFor } from '@helpdesk/common';
import { Audited } from 'src/access/audited.decorator';
import { Roles } from 'src/access/access.decorators';
import {
  CreatedWebhookResponse,
  CreateWebhookDto,
  DeliveryPageResponse,
  DeliveryQueryDto,
  DeliveryResponse,
  toDeliveryResponse,
  toWebhookResponse,
  UpdateWebhookDto,
  WebhookListResponse,
  WebhookResponse,
} from './dto/webhook.dto';
import { WebhooksService } from './webhooks.service';

@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('api/v1/admin/webhooks')
@Roles('admin')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @CreatedAt('/api/v1/admin/webhooks/{id}')
  @Audited('webhook.create')
  @ApiCreatedResponse({ type: CreatedWebhookResponse })
  @ApiProblems(401, 403, 422)
  async create(@Body() body: CreateWebhookDto): Promise<CreatedWebhookResponse> {
    const { webhook, secret } = await this.webhooks.create(body);
    return { ...toWebhookResponse(webhook), secret };
  }

  @Get()
  @ApiOkResponse({ type: WebhookListResponse })
  @ApiProblems(401, 403)
  async list(): Promise<WebhookListResponse> {
    return { items: (await this.webhooks.list()).map(toWebhookResponse) };
  }

  @Get(':id')
  @ApiOkResponse({ type: WebhookResponse })
  @ApiProblems(401, 403, 404, 422)
  async get(@Param('id', uuidPipe) id: string): Promise<WebhookResponse> {
    return toWebhookResponse(await this.webhooks.get(id));
  }

  @Patch(':id')
  @Audited('webhook.update')
  @ApiOkResponse({ type: WebhookResponse })
  @ApiProblems(401, 403, 404, 422)
  async update(
    @Param('id', uuidPipe) id: string,
    @Body() body: UpdateWebhookDto,
  ): Promise<WebhookResponse> {
    return toWebhookResponse(await this.webhooks.update(id, body));
  }

  @Delete(':id')
  @HttpCode(204)
  @Audited('webhook.delete')
  @ApiNoContentResponse()
  @ApiProblems(401, 403, 404, 422)
  async remove(@Param('id', uuidPipe) id: string): Promise<void> {
    await this.webhooks.remove(id);
  }

  @Get(':id/deliveries')
  @ApiOkResponse({ type: DeliveryPageResponse })
  @ApiProblems(401, 403, 404, 422)
  async deliveries(
    @Param('id', uuidPipe) id: string,
    @Query() query: DeliveryQueryDto,
  ): Promise<DeliveryPageResponse> {
    const page = await this.webhooks.deliveryLog(id, query);
    return { ...page, items: page.items.map(toDeliveryResponse) };
  }

  @Post(':id/deliveries/:deliveryId/redeliver')
  @HttpCode(202)
  @Audited('webhook.redeliver')
  @ApiAcceptedResponse({ type: DeliveryResponse })
  @ApiProblems(401, 403, 404, 422)
  async redeliver(
    @Param('id', uuidPipe) id: string,
    @Param('deliveryId', uuidPipeFor('delivery_id')) deliveryId: string,
  ): Promise<DeliveryResponse> {
    return toDeliveryResponse(await this.webhooks.redeliver(id, deliveryId));
  }
}
