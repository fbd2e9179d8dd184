import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsString, Length } from 'class-validator';
import { STAFF_ROLES, type StaffRole } from 'src/access/roles';
import type { ApiKey } from '../api-key.entity';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'Shop integration', minLength: 1, maxLength: 200 })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({
    enum: STAFF_ROLES,
    example: 'support',
    description: 'The role the key acts with.',
  })
  @IsIn(STAFF_ROLES)
  role: StaffRole;
}

export class ApiKeyResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Shop integration' }) name: string;
  @ApiProperty({ enum: STAFF_ROLES }) role: string;
  @ApiProperty({
    example: 'hd_Ab12Cd',
    description: 'First characters of the key, to tell keys apart',
  })
  key_prefix: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) last_used_at: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

export class CreatedApiKeyResponse extends ApiKeyResponse {
  @ApiProperty({
    example: 'hd_3q2-7wEvMd…',
    description: 'The key itself. Shown once; store it now.',
  })
  key: string;
}

export class ApiKeyListResponse {
  @ApiProperty({ type: [ApiKeyResponse] }) items: ApiKeyResponse[];
}

export function toApiKeyResponse(apiKey: ApiKey): ApiKeyResponse {
  return {
    id: apiKey.id,
    name: apiKey.name,
    role: apiKey.role,
    key_prefix: apiKey.keyPrefix,
    last_used_at: apiKey.lastUsedAt?.toISOString() ?? null,
    created_at: apiKey.createdAt.toISOString(),
  };
}
