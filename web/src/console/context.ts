import { createContext, useContext } from 'react';
import { createApi, type Api } from '../api/client';
import { Session } from '../api/session';
import type { Role, User } from '../api/types';

export const session = new Session('helpdesk.console');
export const api: Api = createApi(session);

export const UserContext = createContext<User | null>(null);

export function useUser(): User {
  const user = useContext(UserContext);
  if (!user) throw new Error('signed out');
  return user;
}

const RANK: Record<Role, number> = { customer: 0, support: 1, support_manager: 2, admin: 3 };

/** Whether the user's role is at least `role` (the API's role ladder). */
export function atLeast(user: User, role: Role): boolean {
  return RANK[user.role] >= RANK[role];
}
