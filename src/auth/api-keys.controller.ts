import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { type Actor, ApiProblems, CreatedAt, uuidPipe } from '@helpdesk/common';
import { Audited } from 'src/access/audited.decorator';
import { CurrentActor, Roles } from 'src/access/access.decorators';
import { ApiKeysService } from './api-keys.service';
import {
  ApiKeyListResponse,
  CreateApiKeyDto,
  CreatedApiKeyResponse,
  toApiKeyResponse,
} from './dto/api-key.dto';

@ApiTags('api-keys')
@ApiBearerAuth()
@Controller('api/v1/admin/api-keys')
@Roles('admin')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Post()
  @CreatedAt('/api/v1/admin/api-keys/{id}')
  @Audited('api_key.create')
  @ApiCreatedResponse({ type: CreatedApiKeyResponse })
  @ApiProblems(401, 403, 422)
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
  @ApiOkResponse({ type: ApiKeyListResponse })
  @ApiProblems(401, 403)
  async list(): Promise<ApiKeyListResponse> {
    return { items: (await this.apiKeys.listActive()).map(toApiKeyResponse) };
  }

  @Delete(':id')
  @HttpCode(204)
  @Audited('api_key.revoke')
  @ApiNoContentResponse({ description: 'Revoked; the key stops working at once' })
  @ApiProblems(401, 403, 404, 422)
  async revoke(@Param('id', uuidPipe) id: string): Promise<void> {
    await this.apiKeys.revoke(id);
  }
}
