import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  Length,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { PageQueryDto } from '@helpdesk/common';
import { ROLES, STAFF_ROLES, type Role, type StaffRole } from 'src/access/roles';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateUserDto {
  @ApiProperty({ example: 'grace@example.com', maxLength: 254 })
  @Transform(trim)
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'Grace Hopper', minLength: 1, maxLength: 200 })
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ enum: STAFF_ROLES, example: 'support', description: 'Staff roles only.' })
  @IsIn(STAFF_ROLES)
  role: StaffRole;

  @ApiProperty({ minLength: 12, maxLength: 256, example: 'correct horse battery staple' })
  @IsString()
  @Length(12, 256, { message: 'password must be 12 to 256 characters' })
  password: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional({ example: 'Grace M. Hopper', minLength: 1, maxLength: 200 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ enum: STAFF_ROLES, example: 'support_manager' })
  @IsOptional()
  @IsIn(STAFF_ROLES)
  role?: StaffRole;

  @ApiPropertyOptional({ example: false })
  @IsOptional()
  @IsBoolean()
  is_active?: boolean;

  @ApiPropertyOptional({ minLength: 12, maxLength: 256, example: 'a new long passphrase' })
  @IsOptional()
  @IsString()
  @Length(12, 256, { message: 'password must be 12 to 256 characters' })
  password?: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'Acme Ltd',
    maxLength: 200,
    description: "The customer's organization (null clears it)",
  })
  @IsOptional()
  @Transform(trim)
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @Length(1, 200)
  organization?: string | null;
}

export class UserQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ description: 'Substring of email or name', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  @IsBoolean({ message: 'is_active must be true or false' })
  is_active?: boolean;
}
