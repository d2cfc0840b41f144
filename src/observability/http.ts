/**
 * Per-request observation for the Express app: a SERVER span (continuing a caller's W3C
 * `traceparent`) that is active for everything the request does, and the request's duration in
 * `conceptflow_http_request_duration_seconds` labelled by route *pattern* (`/api/tasks/:id`, never
 * the raw path, so label cardinality stays bounded) plus 429s in `conceptflow_http_rejections_total`.
 *
 * Hand-written rather than @opentelemetry/instrumentation-http/-express: those patch modules through
 * require/import hooks that must be loaded before the app (a `--import` flag on every entry point and
 * test); this is one middleware on the public OpenTelemetry API and Express's documented `req.route`.
 */
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { ApiMetrics } from './metrics.js';

const tracer = trace.getTracer('conceptflow.api');

/** Requests no route matched (404s, probes of random paths) share one label. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Calls `onMatch` with the full route pattern when Express matches a route: Express sets
 * `req.route` at that moment, while `req.baseUrl` still holds every router's mount path (it is
 * restored on the way out, so reading both later, e.g. in the error handler, would lose the prefix).
 */
function watchRoute(req: Request, onMatch: (pattern: string) => void): void {
  let current: unknown;
  Object.defineProperty(req, 'route', {
    configurable: true,
    enumerable: true,
    get: () => current,
    set(value: { path?: unknown } | undefined) {
      current = value;
      if (typeof value?.path === 'string') onMatch(`${req.baseUrl}${value.path}` || '/');
    },
  });
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      /** The `code` of the error the request failed with, for the rejection counter. */
      errorCode?: string;
    }
  }
}

export function observeHttp(metrics: ApiMetrics): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    let route = UNMATCHED_ROUTE;
    watchRoute(req, (pattern) => (route = pattern));
    const parent = propagation.extract(context.active(), req.headers);
    const span = tracer.startSpan(
      `${req.method}`,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method, 'url.path': req.path, 'url.scheme': req.protocol } },
      parent,
    );
    const active = trace.setSpan(parent, span);
    // Listeners added later (the access log line) run inside the request's span too.
    context.bind(active, res);
    let recorded = false;
    const record = () => {
      if (recorded) return;
      recorded = true;
      const status = res.statusCode;
      metrics.observeRequest({ method: req.method, route, status }, Number(process.hrtime.bigint() - started) / 1e9);
      if (status === 429) metrics.rejected({ route, code: res.locals.errorCode ?? 'unknown' });
      span.updateName(`${req.method} ${route}`);
      span.setAttributes({ 'http.route': route, 'http.response.status_code': status });
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      if (!res.writableFinished) span.setAttribute('conceptflow.client_aborted', true);
      span.end();
    };
    res.once('finish', record);
    res.once('close', record);
    context.with(active, next);
  };
}

/** Notes the failing error's `code` (HttpError, domain errors) and passes it on to the error handler. */
export const noteErrorCode: ErrorRequestHandler = (err: unknown, _req, res, next) => {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string') res.locals.errorCode = code;
  next(err);
};
