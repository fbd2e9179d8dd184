import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role } from 'src/access/roles';
import type { User } from '../user.entity';

/** `user` of API.md section 3. */
export class UserResponse {
  @ApiProperty({ format: 'uuid', example: '019a4f6e-7c2b-7d1a-9a3e-2b7f1c9d0e11' })
  id: string;

  @ApiProperty({ example: 'ada@example.com' })
  email: string;

  @ApiProperty({ example: 'Ada Lovelace' })
  name: string;

  @ApiProperty({ enum: ROLES, example: 'support' })
  role: Role;

  @ApiProperty({ type: String, nullable: true, example: '+44 20 7946 0000' })
  phone_number: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Analytical Engines Ltd' })
  organization: string | null;

  @ApiProperty({ example: true })
  is_active: boolean;

  @ApiProperty({ format: 'date-time', example: '2026-11-21T09:30:00.000Z' })
  created_at: string;
}

export function toUserResponse(user: User): UserResponse {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    phone_number: user.phoneNumber,
    organization: user.organization,
    is_active: user.isActive,
    created_at: user.createdAt.toISOString(),
  };
}

export class UserPageResponse {
  @ApiProperty({ type: [UserResponse] })
  items: UserResponse[];
  @ApiProperty({ example: 1 }) total: number;
  @ApiProperty({ example: 1 }) page: number;
  @ApiProperty({ example: 50 }) limit: number;
  @ApiProperty({ example: 1 }) total_pages: number;
}
