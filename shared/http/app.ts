/** Builds a Hono app with orderbell's request ids, validation hook and error rendering. */
import { OpenAPIHono } from '@hono/zod-openapi';
import { requestId } from 'hono/request-id';
import { DEFAULT_BODY_BYTES, limitBody, SIMULATION_UPLOAD_BYTES } from './body-limit';
import { pageHeaders } from './page-headers';
import type { RequestIdVariables } from 'hono/request-id';
import type { ApiKeyScope } from '../db/schema';
import { HTTPException } from 'hono/http-exception';
import { logLine } from '../text/redact';
import { ApiError, errorBody, errorStatus, validationError, type ErrorCode } from './errors';

const httpExceptionCodes = {
  400: 'invalid_json',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
} satisfies Record<number, ErrorCode>;

export type AppEnv = {
  Bindings: Cloudflare.GatewayEnv;
  Variables: RequestIdVariables & {
    /** Set by the API-key middleware: the tenant comes only from the key. */
    shopId: string;
    apiKeyId: string;
    scopes: ApiKeyScope[];
  };
};

/** A router whose zod-validated inputs fail with the standard 400 shape. Mount it with `app.route()`. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error);
    },
  });
}

/** The top-level app: request ids, the HTML page header policy, 404s and the single error renderer. */
export function createApp() {
  const app = createRouter();
  app.use(requestId());
  app.use(pageHeaders());
  // Every route has a body limit; routes that take less set a smaller one after this. The one
  // larger limit: a simulation's uploaded NDJSON of up to 50,000 events.
  const defaultLimit = limitBody(DEFAULT_BODY_BYTES);
  const uploadLimit = limitBody(SIMULATION_UPLOAD_BYTES);
  app.use((c, next) =>
    c.req.method === 'POST' && c.req.path === '/v1/simulations' ? uploadLimit(c, next) : defaultLimit(c, next),
  );
  app.notFound((c) => c.json(errorBody('not_found', `No route for ${c.req.method} ${c.req.path}`), 404));
  app.onError((err, c) => {
    if (err instanceof ApiError) {
      return c.json(errorBody(err.code, err.message, err.details), err.status);
    }
    // Hono's own validators throw plain HTTPExceptions; malformed JSON is 415 `invalid_json` as at intake.
    if (err instanceof HTTPException && err.status in httpExceptionCodes) {
      const code = httpExceptionCodes[err.status as keyof typeof httpExceptionCodes];
      return c.json(errorBody(code, err.message || code), errorStatus[code]);
    }
    console.error(
      // Errors can quote the data they failed on: phones and emails never reach the log.
      logLine({ level: 'error', requestId: c.get('requestId'), error: String(err), stack: err.stack }),
    );
    return c.json(errorBody('internal_error', `Internal error (request ${c.get('requestId')})`), 500);
  });
  return app;
}
