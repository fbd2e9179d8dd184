import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CreatedAt, uuidPipe, uuidPipeFor } from '@helpdesk/common';
import { access } from 'src/access/access.decorators';
import { Endpoint } from 'src/access/endpoint.decorator';
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
@Controller('api/v1/admin/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @Endpoint({
    operationId: 'createWebhook',
    summary: 'Subscribe a URL to events (secret shown once)',
    access: access.roles('admin'),
    audit: 'webhook.create',
    problems: [422],
  })
  @CreatedAt('/api/v1/admin/webhooks/{id}')
  @ApiCreatedResponse({ type: CreatedWebhookResponse })
  async create(@Body() body: CreateWebhookDto): Promise<CreatedWebhookResponse> {
    const { webhook, secret } = await this.webhooks.create(body);
    return { ...toWebhookResponse(webhook), secret };
  }

  @Get()
  @Endpoint({
    operationId: 'listWebhooks',
    summary: 'List webhooks',
    access: access.roles('admin'),
  })
  @ApiOkResponse({ type: WebhookListResponse })
  async list(): Promise<WebhookListResponse> {
    return { items: (await this.webhooks.list()).map(toWebhookResponse) };
  }

  @Get(':id')
  @Endpoint({
    operationId: 'getWebhook',
    summary: 'One webhook',
    access: access.roles('admin'),
    problems: [404, 422],
  })
  @ApiOkResponse({ type: WebhookResponse })
  async get(@Param('id', uuidPipe) id: string): Promise<WebhookResponse> {
    return toWebhookResponse(await this.webhooks.get(id));
  }

  @Patch(':id')
  @Endpoint({
    operationId: 'updateWebhook',
    summary: 'Edit a webhook',
    access: access.roles('admin'),
    audit: 'webhook.update',
    problems: [404, 422],
  })
  @ApiOkResponse({ type: WebhookResponse })
  async update(
    @Param('id', uuidPipe) id: string,
    @Body() body: UpdateWebhookDto,
  ): Promise<WebhookResponse> {
    return toWebhookResponse(await this.webhooks.update(id, body));
  }

  @Delete(':id')
  @Endpoint({
    operationId: 'deleteWebhook',
    summary: 'Delete a webhook',
    access: access.roles('admin'),
    audit: 'webhook.delete',
    problems: [404, 422],
  })
  @HttpCode(204)
  @ApiNoContentResponse()
  async remove(@Param('id', uuidPipe) id: string): Promise<void> {
    await this.webhooks.remove(id);
  }

  @Get(':id/deliveries')
  @Endpoint({
    operationId: 'listWebhookDeliveries',
    summary: "A webhook's deliveries",
    access: access.roles('admin'),
    problems: [404, 422],
  })
  @ApiOkResponse({ type: DeliveryPageResponse })
  async deliveries(
    @Param('id', uuidPipe) id: string,
    @Query() query: DeliveryQueryDto,
  ): Promise<DeliveryPageResponse> {
    const page = await this.webhooks.deliveryLog(id, query);
    return { ...page, items: page.items.map(toDeliveryResponse) };
  }

  @Post(':id/deliveries/:deliveryId/redeliver')
  @Endpoint({
    operationId: 'redeliverWebhookDelivery',
    summary: 'Send a delivery again',
    access: access.roles('admin'),
    audit: 'webhook.redeliver',
    problems: [404, 422],
  })
  @HttpCode(202)
  @ApiAcceptedResponse({ type: DeliveryResponse })
  async redeliver(
    @Param('id', uuidPipe) id: string,
    @Param('deliveryId', uuidPipeFor('delivery_id')) deliveryId: string,
  ): Promise<DeliveryResponse> {
    return toDeliveryResponse(await this.webhooks.redeliver(id, deliveryId));
  }
}
