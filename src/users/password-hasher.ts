import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';

/** argon2id with the library's OWASP-aligned defaults (API.md section 3). */
@Injectable()
export class PasswordHasher {
  // A real hash of a random password, verified against when the user does not exist, so a
  // wrong email costs the same time as a wrong password (no account enumeration by timing).
  private readonly decoy = argon2.hash(`decoy-${Math.random()}`, { type: argon2.argon2id });

  hash(password: string): Promise<string> {
    return argon2.hash(password, { type: argon2.argon2id });
  }

  async verify(hash: string | null | undefined, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash ?? (await this.decoy), password);
    } catch {
      return false;
    }
  }
}
