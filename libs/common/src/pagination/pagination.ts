import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** The deepest offset a list accepts (the deepest `page` times the largest `limit`). */
const MAX_OFFSET = 200_000_000;

/** `page` and `limit` of every paginated list (API.md section 1), or `offset`/`skip` instead of `page`. */
export class PageQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1_000_000, default: 1, example: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  page: number = 1;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 50, example: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit: number = 50;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: MAX_OFFSET,
    example: 0,
    description: 'Rows to skip; when given it wins over `page` (and over `skip`)',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_OFFSET)
  offset?: number;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: MAX_OFFSET,
    description: 'Another name for `offset` (ignored when `offset` is given)',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_OFFSET)
  skip?: number;
}

/**
 * Which rows a list request asks for. `offset` (or its other name `skip`) wins over `page`:
 * precedence offset > skip > page. A response's `page` is then the page that holds the first
 * row asked for (`floor(offset / limit) + 1`).
 */
export interface PageRequest {
  page: number;
  limit: number;
  offset?: number;
  skip?: number;
}

/** The page request of a list query, for the services that copy its fields into a filter. */
export function pageRequestOf(query: PageRequest): PageRequest {
  return { page: query.page, limit: query.limit, offset: query.offset ?? query.skip };
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  limit: number;
  total_pages: number;
}

export function pageOf<T>(items: T[], total: number, query: PageRequest): Page<T> {
  return {
    items,
    total,
    page: Math.floor(offsetOf(query) / query.limit) + 1,
    limit: query.limit,
    total_pages: Math.ceil(total / query.limit),
  };
}

export function offsetOf(query: PageRequest): number {
  return query.offset ?? query.skip ?? (query.page - 1) * query.limit;
}
