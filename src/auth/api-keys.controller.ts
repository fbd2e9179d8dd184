import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type Actor, CreatedAt, uuidPipe } from '@helpdesk/common';
import { access, CurrentActor } from 'src/access/access.decorators';
import { Endpoint } from 'src/access/endpoint.decorator';
import { ApiKeysService } from './api-keys.service';
import {
  ApiKeyListResponse,
  CreateApiKeyDto,
  CreatedApiKeyResponse,
  toApiKeyResponse,
} from './dto/api-key.dto';

@ApiTags('api-keys')
@Controller('api/v1/admin/api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Post()
  @Endpoint({
    operationId: 'createApiKey',
    summary: 'Create an integration API key (shown once)',
    access: access.roles('admin'),
    audit: 'api_key.create',
    problems: [422],
  })
  @CreatedAt('/api/v1/admin/api-keys/{id}')
  @ApiCreatedResponse({ type: CreatedApiKeyResponse })
  async create(
    @Body() body: CreateApiKeyDto,
    @CurrentActor() actor: Actor,
  ): Promise<CreatedApiKeyResponse> {
    const { apiKey, key } = await this.apiKeys.create(
      body.name,
      body.role,
      actor.type === 'user' ? actor.id : null,
    );
    return { ...toApiKeyResponse(apiKey), key };
  }

  @Get()
  @Endpoint({
    operationId: 'listApiKeys',
    summary: 'List API keys (never their secrets)',
    access: access.roles('admin'),
  })
  @ApiOkResponse({ type: ApiKeyListResponse })
  async list(): Promise<ApiKeyListResponse> {
    return { items: (await this.apiKeys.listActive()).map(toApiKeyResponse) };
  }

  @Delete(':id')
  @Endpoint({
    operationId: 'revokeApiKey',
    summary: 'Revoke an API key',
    access: access.roles('admin'),
    audit: 'api_key.revoke',
    problems: [404, 422],
  })
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Revoked; the key stops working at once' })
  async revoke(@Param('id', uuidPipe) id: string): Promise<void> {
    await this.apiKeys.revoke(id);
  }
}
