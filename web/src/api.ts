/**
 * The one way the pages talk to the API: same origin (no CORS), the token only in the
 * Authorization header, one `Idempotency-Key` per user action so that a retry after a network
 * error is answered from the first attempt instead of being counted twice.
 */
export type ErrorDetail = { path: string; message: string };

/** status 0: the request never got an answer (offline, connection dropped): its outcome is unknown. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export type RequestOptions = {
  token?: string | undefined;
  body?: unknown;
  /** The `version` shown with the state being changed; sent as `If-Match: "<version>"`. */
  ifMatch?: number | undefined;
  idempotencyKey?: string | undefined;
  /** A file sent as the raw body with its media type (the agency import), instead of JSON. */
  file?: { body: Blob; contentType: string } | undefined;
};

let onUnauthorized: (() => void) | undefined;

/** The app registers what a 401 means (token expired or revoked): back to sign-in. */
export const setUnauthorizedHandler = (handler: () => void) => {
  onUnauthorized = handler;
};

const errorFrom = async (response: Response): Promise<ApiError> => {
  const retryAfter = Number(response.headers.get('retry-after'));
  const body = (await response.json().catch(() => null)) as {
    error?: { code?: string; message?: string; details?: ErrorDetail[] };
  } | null;
  return new ApiError(
    response.status,
    body?.error?.code ?? 'http_error',
    body?.error?.message ?? response.statusText,
    body?.error?.details ?? [],
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
  );
};

export const request = async <T>(method: string, path: string, options: RequestOptions = {}): Promise<T> => {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.file) headers['content-type'] = options.file.contentType;
  if (options.ifMatch !== undefined) headers['if-match'] = `"${options.ifMatch}"`;
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      cache: 'no-store',
      credentials: 'omit',
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.file ? { body: options.file.body } : {}),
    });
  } catch {
    throw new ApiError(0, 'network', 'network error');
  }
  if (!response.ok) {
    const error = await errorFrom(response);
    if (error.status === 401 && options.token) onUnauthorized?.();
    throw error;
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
};

export const assessmentPath = (assessmentId: string, rest = '') =>
  `/assessments/${encodeURIComponent(assessmentId)}${rest}`;

export const agencyPath = (assessmentId: string, agencyId: string, rest = '') =>
  assessmentPath(assessmentId, `/agencies/${encodeURIComponent(agencyId)}${rest}`);

/**
 * A fresh key per user action; kept for a retry of that same action (see `useAction`). Older
 * Android WebViews (LINE's in-app browser among them) lack `randomUUID`: a v4 UUID from
 * `getRandomValues` then, which every browser the app targets has.
 */
export const newIdempotencyKey = (): string => {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};
