/** The one error shape of every orderbell API: `{"error":{"code","message","details?"}}`. */
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';

/** Closed set of error codes; each maps to one HTTP status. */
export const errorStatus = {
  validation_failed: 400,
  invalid_json: 415,
  unauthorized: 401,
  signature_missing: 401,
  signature_invalid: 401,
  timestamp_out_of_tolerance: 401,
  forbidden: 403,
  not_found: 404,
  shop_not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  template_invalid: 422,
  unsupported_media_type: 415,
  internal_error: 500,
  not_implemented: 501,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof errorStatus;
/** `line` and `column` (1-based) locate a problem inside a template part. */
export type ErrorDetail = { path: string; message: string; line?: number; column?: number };

export class ApiError extends HTTPException {
  readonly code: ErrorCode;
  readonly details?: ErrorDetail[];

  constructor(code: ErrorCode, message: string, details?: ErrorDetail[]) {
    super(errorStatus[code], { message });
    this.code = code;
    this.details = details;
  }
}

/** Turns zod issues into `{path, message}` details, e.g. `data.buyer.phone`. */
export function zodDetails(error: z.ZodError): ErrorDetail[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
}

export function validationError(error: z.ZodError): ApiError {
  const details = zodDetails(error);
  const first = details[0];
  const message = first ? `${first.path || 'body'}: ${first.message}` : 'Invalid request';
  return new ApiError('validation_failed', message, details);
}

export function errorBody(code: ErrorCode, message: string, details?: ErrorDetail[]) {
  return { error: { code, message, ...(details ? { details } : {}) } };
}
