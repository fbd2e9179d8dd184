import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, Length } from 'class-validator';
import { HasNoNul } from '@helpdesk/common';

/** What one ticket may hold; a bulk `add_tags` that would pass it fails for that ticket. */
export const MAX_TAGS_PER_TICKET = 20;
const MAX_TAG_LENGTH = 50;

/** Tags are trimmed, lower-cased and deduplicated. */
export const normaliseTags = ({ value }: { value: unknown }): unknown =>
  Array.isArray(value)
    ? [
        ...new Set(
          (value as unknown[]).map((tag) =>
            typeof tag === 'string' ? tag.trim().toLowerCase() : tag,
          ),
        ),
      ]
    : value;

/**
 * The one rule for a list of tags, wherever a body carries one (ticket create and update, bulk
 * tag actions): normalised, each 1–50 characters without NUL, at most 20 (at least `minItems`).
 */
export function IsTagList(options: { minItems?: number } = {}): PropertyDecorator {
  return applyDecorators(
    Transform(normaliseTags),
    IsArray(),
    ...(options.minItems ? [ArrayMinSize(options.minItems)] : []),
    ArrayMaxSize(MAX_TAGS_PER_TICKET),
    IsString({ each: true }),
    Length(1, MAX_TAG_LENGTH, { each: true }),
    HasNoNul(),
  );
}
