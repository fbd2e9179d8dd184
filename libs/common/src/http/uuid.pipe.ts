import { ParseUUIDPipe } from '@nestjs/common';
import { ValidationFailedError } from '../errors/app-error';

/** Path ids must be UUIDs; anything else is a 422 before it reaches SQL. */
export const uuidPipe = new ParseUUIDPipe({
  exceptionFactory: () => ValidationFailedError.forField('id', 'id must be a UUID'),
});

export function uuidPipeFor(field: string): ParseUUIDPipe {
  return new ParseUUIDPipe({
    exceptionFactory: () => ValidationFailedError.forField(field, `${field} must be a UUID`),
  });
}
