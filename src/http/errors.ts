/**
 * One error type for the whole server, rendered as application/problem+json (RFC 9457)
 * with a Japanese (default) or English title, detail and field-level `errors`.
 */
import { type Lang, type MessageKey, t } from './messages.ts';

export type ProblemKind =
  | 'validation'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'too_large'
  | 'throttled'
  | 'unsupported_media_type'
  | 'internal';

const STATUS: Record<ProblemKind, number> = {
  validation: 422,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  throttled: 429,
  unsupported_media_type: 415,
  internal: 500,
};

export interface FieldError {
  path: string;
  key: MessageKey;
  params?: Record<string, unknown>;
}

export class AppError extends Error {
  readonly kind: ProblemKind;
  readonly detailKey?: MessageKey;
  readonly detailParams: Record<string, unknown>;
  readonly fieldErrors: FieldError[];
  readonly statusOverride?: number;
  constructor(kind: ProblemKind, detailKey?: MessageKey, detailParams: Record<string, unknown> = {}, fieldErrors: FieldError[] = [], statusOverride?: number) {
    super(detailKey ?? kind);
    this.kind = kind;
    this.detailKey = detailKey;
    this.detailParams = detailParams;
    this.fieldErrors = fieldErrors;
    this.statusOverride = statusOverride;
  }
  get status(): number {
    return this.statusOverride ?? STATUS[this.kind];
  }
}

export const notFound = () => new AppError('not_found', 'detail.not_found');
export const forbidden = (key: MessageKey, params: Record<string, unknown> = {}) => new AppError('forbidden', key, params);
export const conflict = (key: MessageKey, params: Record<string, unknown> = {}) => new AppError('conflict', key, params);
export const invalid = (...errors: FieldError[]) => new AppError('validation', 'detail.validation', {}, errors);
export const unknownReference = (path: string, entity: 'organization' | 'person' | 'household' | 'user' | 'case' | 'meeting') =>
  ({ path, key: 'field.unknown_reference', params: { entity: `entity.${entity}` } }) satisfies FieldError;

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { path: string; message: string }[];
  requestId?: string;
}

export function problemBody(err: AppError, lang: Lang, requestId: string): ProblemBody {
  const body: ProblemBody = {
    type: `https://kasane.invalid/problems/${err.kind}`,
    title: t(`title.${err.kind}` as MessageKey, lang),
    status: err.status,
    detail: err.detailKey ? t(err.detailKey, lang, { ...err.detailParams, requestId }) : t(`title.${err.kind}` as MessageKey, lang),
  };
  if (err.fieldErrors.length > 0) body.errors = err.fieldErrors.map((e) => ({ path: e.path, message: t(e.key, lang, e.params) }));
  if (err.kind === 'internal') body.requestId = requestId;
  return body;
}

/** Turns a zod issue (as carried by fastify-type-provider-zod) into a translatable field error. */
export function fieldErrorFromIssue(path: string, code: string, params: Record<string, any>): FieldError {
  const origin = params.origin as string | undefined;
  switch (code) {
    case 'invalid_type':
      return params.input === undefined ? { path, key: 'field.required' } : { path, key: 'field.type', params: { expected: params.expected } };
    case 'too_small':
      return {
        path,
        key: origin === 'array' ? 'field.too_small_array' : origin === 'string' ? 'field.too_small_string' : 'field.too_small_number',
        params: { minimum: params.minimum },
      };
    case 'too_big':
      return {
        path,
        key: origin === 'array' ? 'field.too_big_array' : origin === 'string' ? 'field.too_big_string' : 'field.too_big_number',
        params: { maximum: params.maximum },
      };
    case 'invalid_value':
      return { path, key: 'field.enum', params: { values: (params.values as unknown[] | undefined)?.map(String) ?? [] } };
    case 'invalid_format':
      return { path, key: 'field.format' };
    case 'unrecognized_keys':
      return { path, key: 'field.unknown_keys', params: { keys: params.keys } };
    case 'custom': {
      const rule = params.params?.rule as string | undefined;
      const known = rule && `field.${rule}`;
      return { path, key: (known ?? 'field.invalid') as MessageKey, params: params.params ?? {} };
    }
    default:
      return { path, key: 'field.invalid' };
  }
}
