import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Length, MaxLength } from 'class-validator';
import { UserResponse } from 'src/users/dto/user.response';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class LoginDto {
  @ApiProperty({ example: 'admin@example.com', maxLength: 254 })
  @Transform(trim)
  @IsString()
  @Length(1, 254)
  email: string;

  @ApiProperty({ example: 'correct horse battery staple', maxLength: 256 })
  @IsString()
  @Length(1, 256)
  password: string;
}

export class RefreshDto {
  @ApiProperty({ example: '019a4f6e-7c2b-7d1a-9a3e-2b7f1c9d0e11.dGhpcyBpcyBhIHJlZnJlc2ggdG9rZW4' })
  @IsString()
  @Length(1, 512)
  refresh_token: string;
}

export class MagicLinkRequestDto {
  @ApiProperty({ example: 'customer@example.com', maxLength: 254 })
  @Transform(trim)
  @IsString()
  @Length(1, 254)
  email: string;
}

export class MagicLinkVerifyDto {
  @ApiProperty({ example: 'dGhpcyBpcyBhIG1hZ2ljIGxpbmsgdG9rZW4' })
  @IsString()
  @MaxLength(512)
  token: string;
}

export class TokenPairResponse {
  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…' })
  access_token: string;

  @ApiProperty({ example: '019a4f6e-7c2b-7d1a-9a3e-2b7f1c9d0e11.dGhpcyBpcyBhIHJlZnJlc2ggdG9rZW4' })
  refresh_token: string;

  @ApiProperty({ example: 'Bearer', enum: ['Bearer'] })
  token_type: 'Bearer';

  @ApiProperty({ example: 900, description: 'Access token lifetime in seconds' })
  expires_in: number;

  @ApiProperty({ type: UserResponse })
  user: UserResponse;
}

/** `GET /auth/me` for an integration key: a key is not a user, so it has no email or phone. */
export class ApiKeyCallerResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Shop integration' }) name: string;
  @ApiProperty({ enum: ['support', 'support_manager', 'admin'] }) role: string;
  @ApiProperty({ enum: ['api_key'] }) type: 'api_key';
}
