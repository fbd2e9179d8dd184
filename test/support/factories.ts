import { SYSTEM_ACTOR, UnitOfWork } from '@helpdesk/common';
import { TokenService } from 'src/auth/token.service';
import type { StaffRole } from 'src/access/roles';
import type { User } from 'src/users/user.entity';
import { UsersService } from 'src/users/users.service';
import type { TestApp } from './test-app';

let sequence = 0;

/** An email no other test in this run uses. */
export function uniqueEmail(label = 'user'): string {
  sequence += 1;
  return `${label}.${Date.now().toString(36)}.${process.pid}.${sequence}@example.test`;
}

export const TEST_PASSWORD = 'a-long-test-password-123';

export interface SignedInUser {
  user: User;
  token: string;
  /** Headers that authenticate as this user. */
  auth: { Authorization: string };
}

async function signIn(t: TestApp, user: User): Promise<SignedInUser> {
  const tokens = t.app.get(TokenService);
  const issued = await t.app.get(UnitOfWork).run(() => tokens.issue(user), { actor: SYSTEM_ACTOR });
  return {
    user,
    token: issued.accessToken,
    auth: { Authorization: `Bearer ${issued.accessToken}` },
  };
}

/** A staff user with the given role and TEST_PASSWORD, signed in. */
export async function createStaff(
  t: TestApp,
  role: StaffRole = 'support',
  overrides: { email?: string; name?: string; password?: string } = {},
): Promise<SignedInUser> {
  const users = t.app.get(UsersService);
  const user = await t.app.get(UnitOfWork).run(
    () =>
      users.createStaff({
        email: overrides.email ?? uniqueEmail(role),
        name: overrides.name ?? `Test ${role} ${sequence}`,
        role,
        password: overrides.password ?? TEST_PASSWORD,
      }),
    { actor: SYSTEM_ACTOR },
  );
  return signIn(t, user);
}

/** A customer account, signed in as if through a magic link. */
export async function createCustomer(
  t: TestApp,
  overrides: { email?: string; name?: string } = {},
): Promise<SignedInUser> {
  const users = t.app.get(UsersService);
  const user = await t.app.get(UnitOfWork).run(
    () =>
      users.findOrCreateCustomer({
        email: overrides.email ?? uniqueEmail('customer'),
        name: overrides.name ?? `Customer ${sequence}`,
      }),
    { actor: SYSTEM_ACTOR },
  );
  return signIn(t, user);
}
