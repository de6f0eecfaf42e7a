import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];
export type FieldError = Schemas['FieldError'];

const TOKEN_KEY = 'market.token';

/** The bearer token of the signed-in user, kept in this browser. */
export const session = {
  token: (): string | null => localStorage.getItem(TOKEN_KEY),
  set(token: string | null) {
    if (token) localStorage.setItem(TOKEN_KEY, token);
    else localStorage.removeItem(TOKEN_KEY);
    window.dispatchEvent(new Event('market:session'));
  },
};

const auth: Middleware = {
  onRequest({ request }) {
    const token = session.token();
    if (token && !request.headers.has('authorization')) request.headers.set('authorization', `Bearer ${token}`);
    return request;
  },
  onResponse({ response, request }) {
    // An expired or revoked token: forget it, the pages fall back to signed-out.
    if (response.status === 401 && request.headers.has('authorization') && session.token()) session.set(null);
    return response;
  },
};

/** Typed from the api's own OpenAPI document: a changed endpoint fails `npm run build`. */
export const api = createClient<paths>({ baseUrl: '' });
api.use(auth);

/** An application/problem+json answer, with its stable `code` and the fields it names. */
export class ApiProblem extends Error {
  readonly status: number;
  readonly code: string;
  readonly errors: FieldError[];
  readonly extra: Record<string, unknown>;

  constructor(status: number, body: unknown) {
    const problem = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
    super(typeof problem.detail === 'string' ? problem.detail : `HTTP ${status}`);
    this.status = status;
    this.code = typeof problem.code === 'string' ? problem.code : `HTTP_${status}`;
    this.errors = Array.isArray(problem.errors) ? (problem.errors as FieldError[]) : [];
    this.extra = problem;
  }
}

/** The data of a call, or its problem thrown. */
export async function call<T>(
  pending: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<NonNullable<T>> {
  const { data, error, response } = await pending;
  if (!response.ok || error !== undefined) throw new ApiProblem(response.status, error);
  return data as NonNullable<T>;
}

/** A fresh Idempotency-Key for one user action (a retried click sends the same). */
export function idempotencyKey(): string {
  return crypto.randomUUID();
}
