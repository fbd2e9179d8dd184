import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import {
  AppError,
  MalformedRequestError,
  ValidationFailedError,
  type FieldError,
} from './app-error';

/** Flattens class-validator's nested tree into `{field: 'a.b[0].c', message}` pairs. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const field = parent
      ? /^\d+$/.test(error.property)
        ? `${parent}[${error.property}]`
        : `${parent}.${error.property}`
      : error.property;
    for (const message of Object.values(error.constraints ?? {})) {
      out.push({ field, message });
    }
    if (error.children?.length) out.push(...flattenValidationErrors(error.children, field));
  }
  return out;
}

/** A JSON body must be an object: arrays, strings and `null` are malformed (400), not invalid. */
class ProblemValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (
      metadata.type === 'body' &&
      typeof metadata.metatype === 'function' &&
      metadata.metatype !== Object
    ) {
      if (value === undefined) value = {};
      if (
        value === null ||
        typeof value !== 'object' ||
        Array.isArray(value) ||
        Buffer.isBuffer(value)
      ) {
        throw new MalformedRequestError('The request body must be a JSON object.');
      }
    }
    try {
      return await super.transform(value, metadata);
    } catch (error) {
      if (error instanceof AppError) throw error;
      // A validator that throws on odd input (validator.js's isEmail throws "URI malformed" on
      // a lone surrogate) is still judging the input: that is a 422, never a 500.
      throw new ValidationFailedError('A value could not be validated (malformed text?).', {
        errors: [
          { field: metadata.data ?? metadata.type, message: 'value could not be validated' },
        ],
      });
    }
  }
}

/** The one validation pipe: strips nothing silently — unknown fields are a 422. */
export function createValidationPipe(): ValidationPipe {
  return new ProblemValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const fieldErrors = flattenValidationErrors(errors);
      const detail = fieldErrors.map((e) => `${e.field}: ${e.message}`).join('; ');
      return new ValidationFailedError(detail || 'The request is not valid.', {
        errors: fieldErrors,
      });
    },
  });
}
