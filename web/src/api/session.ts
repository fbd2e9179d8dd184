import type { Login, User } from './types';

interface Stored {
  access_token: string;
  refresh_token: string;
  /** Epoch milliseconds when the access token expires. */
  expires_at: number;
  user: User;
}

/**
 * The signed-in session of one app (console or portal), kept in sessionStorage so a closed tab
 * forgets it. Refresh tokens rotate: every refresh stores the new pair, and concurrent callers
 * share one refresh request (a second use of a spent refresh token would revoke the family).
 */
export class Session {
  private inflight: Promise<boolean> | null = null;
  private listeners = new Set<() => void>();

  constructor(private readonly key: string) {}

  private read(): Stored | null {
    const raw = sessionStorage.getItem(this.key);
    return raw ? (JSON.parse(raw) as Stored) : null;
  }

  get user(): User | null {
    return this.read()?.user ?? null;
  }

  /** Subscribe to sign-in, refresh and sign-out; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  store(login: Login): void {
    const stored: Stored = {
      access_token: login.access_token,
      refresh_token: login.refresh_token,
      expires_at: Date.now() + login.expires_in * 1000,
      user: login.user,
    };
    sessionStorage.setItem(this.key, JSON.stringify(stored));
    this.listeners.forEach((l) => l());
  }

  clear(): void {
    sessionStorage.removeItem(this.key);
    this.listeners.forEach((l) => l());
  }

  /** A current access token, refreshed first when it is about to expire. */
  async accessToken(): Promise<string | null> {
    const stored = this.read();
    if (!stored) return null;
    if (stored.expires_at - Date.now() < 30_000) {
      if (!(await this.refresh())) return null;
    }
    return this.read()?.access_token ?? null;
  }

  /** Rotates the refresh token; false (and signed out) when the session is gone. */
  refresh(): Promise<boolean> {
    this.inflight ??= this.doRefresh().finally(() => (this.inflight = null));
    return this.inflight;
  }

  private async doRefresh(): Promise<boolean> {
    const stored = this.read();
    if (!stored) return false;
    const response = await fetch('/api/v1/auth/refresh', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refresh_token: stored.refresh_token }),
    });
    if (!response.ok) {
      this.clear();
      return false;
    }
    this.store((await response.json()) as Login);
    return true;
  }
}
