/**
 * The API client: same-origin fetch to /api/v1 with the session cookie,
 * the CSRF header on state-changing requests, and problem+json errors.
 */
import type { ErrorItem, Problem } from './types.ts';

export const API_BASE = '/api/v1';
const CSRF_KEY = 'kasane.csrfToken';

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail || problem.title || `HTTP ${problem.status}`);
    this.name = 'ApiError';
    this.status = problem.status;
    this.problem = problem;
  }
  /** Field-level errors (validation), if any. */
  get errors(): ErrorItem[] {
    return this.problem.errors ?? [];
  }
}

export function getCsrfToken(): string | null {
  try {
    return sessionStorage.getItem(CSRF_KEY);
  } catch {
    return null;
  }
}

export function setCsrfToken(token: string | null): void {
  try {
    if (token) sessionStorage.setItem(CSRF_KEY, token);
    else sessionStorage.removeItem(CSRF_KEY);
  } catch {
    /* storage unavailable: the next POST will fail with a clear message */
  }
}

type UnauthorizedHandler = () => void;
let onUnauthorized: UnauthorizedHandler | null = null;

/** Registered by the app shell: called on any 401 (except the login call itself). */
export function setUnauthorizedHandler(handler: UnauthorizedHandler | null): void {
  onUnauthorized = handler;
}

export interface RequestOptions {
  signal?: AbortSignal;
  /** Do not redirect to /login on 401 (used by the login call and the session probe). */
  no401Redirect?: boolean;
}

async function toProblem(res: Response): Promise<Problem> {
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      const body = (await res.json()) as Partial<Problem> & { message?: string };
      return {
        type: body.type,
        title: body.title,
        status: typeof body.status === 'number' ? body.status : res.status,
        detail: body.detail ?? body.message,
        errors: Array.isArray(body.errors) ? body.errors : undefined,
      };
    } catch {
      /* fall through */
    }
  }
  return { status: res.status, title: statusTitle(res.status), detail: statusTitle(res.status) };
}

function statusTitle(status: number): string {
  switch (status) {
    case 400:
    case 422:
      return '入力内容に誤りがあります。';
    case 401:
      return 'ログインしてください。';
    case 403:
      return 'この操作は許可されていません。';
    case 404:
      return '表示できません（存在しないか、閲覧権限がありません）。';
    case 409:
      return 'ほかの操作と競合しました。画面を読み込み直してください。';
    case 413:
      return '送信した内容が大きすぎます。';
    case 429:
      return '試行回数が多すぎます。しばらく待ってから再度お試しください。';
    default:
      return status >= 500 ? 'サーバーでエラーが発生しました。時間をおいて再度お試しください。' : `エラーが発生しました（${status}）。`;
  }
}

export async function request<T>(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': 'ja' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD') {
    const csrf = getCsrfToken();
    if (csrf) headers['x-csrf-token'] = csrf;
  }
  let res: Response;
  try {
    res = await fetch(`${API_BASE}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal: opts.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError({ status: 0, title: '通信エラー', detail: 'サーバーに接続できません。ネットワークを確認してください。' });
  }
  if (res.status === 401 && !opts.no401Redirect) {
    setCsrfToken(null);
    onUnauthorized?.();
  }
  if (!res.ok) throw new ApiError(await toProblem(res));
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  if (!type.includes('json')) return undefined as T;
  return (await res.json()) as T;
}

export const api = {
  get: <T>(path: string, opts?: RequestOptions) => request<T>('GET', path, undefined, opts),
  post: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('POST', path, body ?? {}, opts),
  delete: <T>(path: string, opts?: RequestOptions) => request<T>('DELETE', path, undefined, opts),
};

/** Build a query string, skipping empty values. */
export function qs(params: Record<string, string | undefined | null>): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) sp.set(k, v);
  const s = sp.toString();
  return s ? `?${s}` : '';
}

/** Encode one path segment (ids are opaque strings). */
export const seg = (id: string): string => encodeURIComponent(id);
