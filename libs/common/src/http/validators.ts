import { registerDecorator, ValidateIf, type ValidationOptions } from 'class-validator';

export interface FlatObjectLimits {
  maxKeys: number;
  maxKeyLength: number;
  maxStringLength: number;
}

/** A flat JSON object whose values are strings, finite numbers, booleans or null. */
export function IsFlatObject(
  limits: FlatObjectLimits,
  options?: ValidationOptions,
): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isFlatObject',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message: `$property must be a flat object of at most ${limits.maxKeys} keys whose values are strings (≤ ${limits.maxStringLength} chars), numbers, booleans or null`,
        ...options,
      },
      validator: {
        validate(value: unknown): boolean {
          if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
          if (
            Object.getPrototypeOf(value) !== Object.prototype &&
            Object.getPrototypeOf(value) !== null
          )
            return false;
          const entries = Object.entries(value as Record<string, unknown>);
          if (entries.length > limits.maxKeys) return false;
          return entries.every(([key, v]) => {
            if (
              key.length === 0 ||
              key.length > limits.maxKeyLength ||
              key === '__proto__' ||
              key.includes('\u0000')
            )
              return false;
            if (v === null || typeof v === 'boolean') return true;
            if (typeof v === 'number') return Number.isFinite(v);
            return (
              typeof v === 'string' && v.length <= limits.maxStringLength && !v.includes('\u0000')
            );
          });
        },
      },
    });
  };
}

/** No NUL characters: PostgreSQL text cannot hold them, and they are never meaningful here. */
export function HasNoNul(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'hasNoNul',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: '$property must not contain NUL characters', ...options },
      validator: {
        validate: (value: unknown) =>
          typeof value !== 'string' && !Array.isArray(value)
            ? true
            : Array.isArray(value)
              ? value.every((v) => typeof v !== 'string' || !v.includes('\u0000'))
              : !value.includes('\u0000'),
      },
    });
  };
}

export const trimString = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

/**
 * Like `@IsOptional()`, but only for a missing field: `null` is still validated (and refused by
 * the field's other rules). For optional fields that cannot be cleared — `@IsOptional()` lets a
 * `null` through every rule, straight into the service.
 */
export function IsOptionalNotNull(): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined);
}
