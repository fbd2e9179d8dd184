import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import type { BusinessHours } from '../business-hours.entity';

const TIME = /^\d{2}:\d{2}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class WeeklyWindowDto {
  @ApiProperty({
    type: 'integer',
    minimum: 1,
    maximum: 7,
    example: 1,
    description: 'ISO weekday: 1 = Monday … 7 = Sunday',
  })
  @IsInt()
  @Min(1)
  @Max(7)
  day: number;

  @ApiProperty({
    example: '09:00',
    pattern: '^\\d{2}:\\d{2}$',
    description: 'Local time, 00:00–23:59',
  })
  @IsString()
  @Matches(TIME, { message: 'start must be a time HH:MM' })
  start: string;

  @ApiProperty({
    example: '17:30',
    pattern: '^\\d{2}:\\d{2}$',
    description: 'Local time, exclusive, later than start; 24:00 ends the window at midnight',
  })
  @IsString()
  @Matches(TIME, { message: 'end must be a time HH:MM' })
  end: string;
}

export class UpdateBusinessHoursDto {
  @ApiProperty({ example: 'Europe/Berlin', description: 'IANA time zone name' })
  @IsString()
  @Length(1, 64)
  timezone: string;

  @ApiProperty({
    type: [WeeklyWindowDto],
    description:
      'At least one window. Several per day are allowed if they do not overlap (adjacent is fine).',
  })
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => WeeklyWindowDto)
  weekly: WeeklyWindowDto[];

  @ApiPropertyOptional({
    type: [String],
    example: ['2026-12-25', '2026-12-26'],
    description: 'Local dates without business time. Omitted: none.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @Matches(DATE, { each: true, message: 'holidays must be dates YYYY-MM-DD' })
  holidays?: string[];
}

export class WeeklyWindowResponse {
  @ApiProperty({ example: 1 }) day: number;
  @ApiProperty({ example: '09:00' }) start: string;
  @ApiProperty({ example: '17:30' }) end: string;
}

/** `GET /admin/business-hours` (API.md section 10). */
export class BusinessHoursResponse {
  @ApiProperty({ example: 'Europe/Berlin' })
  timezone: string;

  @ApiProperty({ type: [WeeklyWindowResponse] })
  weekly: WeeklyWindowResponse[];

  @ApiProperty({ type: [String], example: ['2026-12-25'] })
  holidays: string[];

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    example: '2026-11-21T09:30:00.000Z',
  })
  updated_at: string | null;
}

export function toBusinessHoursResponse(row: BusinessHours): BusinessHoursResponse {
  return {
    timezone: row.timezone,
    weekly: row.weekly.map(({ day, start, end }) => ({ day, start, end })),
    holidays: [...row.holidays],
    updated_at: row.updatedAt?.toISOString() ?? null,
  };
}
