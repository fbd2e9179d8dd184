import createClient, { type Middleware } from 'openapi-fetch';
import type { paths, Problem } from './types';
import type { Session } from './session';

const ANONYMOUS = /\/api\/v1\/auth\/(login|refresh|magic-link)/;

/**
 * A typed client of the public API for one session: adds the bearer token, and on a 401 refreshes
 * once and repeats the request. Comma lists (`status=open,pending`) as the API expects them.
 */
export function createApi(session: Session) {
  const retries = new WeakMap<Request, Request>();
  const auth: Middleware = {
    async onRequest({ request }) {
      if (ANONYMOUS.test(new URL(request.url).pathname) || request.headers.has('x-ticket-token')) {
        return new Request(request, { cache: 'no-store' });
      }
      const token = await session.accessToken();
      // The ticket's ETag is its version, which a new note or message does not change: the
      // browser cache would revalidate to a stale 304. API reads always go to the server.
      const fresh = new Request(request, { cache: 'no-store' });
      if (token) fresh.headers.set('authorization', `Bearer ${token}`);
      retries.set(fresh, fresh.clone());
      return fresh;
    },
    async onResponse({ request, response }) {
      const copy = retries.get(request);
      if (response.status !== 401 || !copy || !(await session.refresh())) return response;
      const token = await session.accessToken();
      if (token) copy.headers.set('authorization', `Bearer ${token}`);
      return fetch(copy);
    },
  };
  const client = createClient<paths>({
    baseUrl: '',
    querySerializer: { array: { style: 'form', explode: false } },
  });
  client.use(auth);
  return client;
}

export type Api = ReturnType<typeof createApi>;

/** Raw fetch with the session's bearer token (downloads, uploads, the event stream). */
export async function authorizedFetch(
  session: Session,
  url: string,
  init: RequestInit = {},
): Promise<Response> {
  const headers = new Headers(init.headers);
  const token = await session.accessToken();
  if (token && !headers.has('x-ticket-token')) headers.set('authorization', `Bearer ${token}`);
  let response = await fetch(url, { ...init, headers });
  if (response.status === 401 && token && (await session.refresh())) {
    headers.set('authorization', `Bearer ${(await session.accessToken()) ?? ''}`);
    response = await fetch(url, { ...init, headers });
  }
  return response;
}

/** A readable sentence for a failed call's problem document. */
export function problemText(error: unknown): string {
  const problem = (error ?? {}) as Problem;
  const fields = problem.errors?.map((e) => `${e.field}: ${e.message}`).join('; ');
  return [problem.detail ?? problem.title ?? 'Request failed', fields].filter(Boolean).join(' — ');
}

/** Thrown by `must()` so pages can show the API's own explanation. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problemText(problem));
  }
}

/** Unwraps an openapi-fetch result: the data, or an ApiError with the problem document. */
export function must<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || result.data === undefined) {
    if (result.response.ok && result.error === undefined) return undefined as T;
    throw new ApiError(result.response.status, (result.error ?? {}) as Problem);
  }
  return result.data;
}

/**
 * The API's links (`download_url`) are absolute on PUBLIC_URL; the app calls its own origin, which
 * serves the same API (and is the only origin its CSP allows).
 */
export function onThisOrigin(url: string): string {
  const parsed = new URL(url, window.location.origin);
  return parsed.pathname + parsed.search;
}
