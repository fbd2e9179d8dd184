import 'reflect-metadata';
import { IsEmail, IsString } from 'class-validator';
import { ValidationFailedError } from './app-error';
import { createValidationPipe } from './validation';

class EmailBody {
  @IsString()
  @IsEmail()
  email: string;
}

describe('the validation pipe', () => {
  const pipe = createValidationPipe();
  const body = { type: 'body' as const, metatype: EmailBody, data: undefined };

  it('answers 422 when a validator throws on odd input (a lone surrogate in an email)', async () => {
    await expect(pipe.transform({ email: '\ud800' }, body)).rejects.toBeInstanceOf(
      ValidationFailedError,
    );
    await expect(pipe.transform({ email: 'a\ud800@example.com' }, body)).rejects.toMatchObject({
      status: 422,
    });
  });

  it('still accepts a valid body and names invalid fields', async () => {
    await expect(pipe.transform({ email: 'ada@example.com' }, body)).resolves.toMatchObject({
      email: 'ada@example.com',
    });
    await expect(pipe.transform({ email: 'nope' }, body)).rejects.toMatchObject({
      errors: [expect.objectContaining({ field: 'email' })],
    });
  });
});
