/**
 * A CLIENT span around each provider HTTP call, child of the active activity span, with the W3C
 * `traceparent` header injected into API calls. Attributes name the provider, method, host, path
 * and status; never the query string (signed download URLs carry tokens there) or any header.
 * Without a registered tracer provider (tracing off) the span is a no-op.
 */
import { context, propagation, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';

const tracer = trace.getTracer('conceptflow.providers');

export async function traceProviderCall<T extends { response: Response }>(
  provider: string,
  method: string,
  url: string,
  headers: Record<string, string> | undefined,
  call: (headers: Record<string, string> | undefined) => Promise<T>,
): Promise<T> {
  const target = new URL(url);
  return tracer.startActiveSpan(
    `${method} ${provider}`,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'http.request.method': method,
        'server.address': target.hostname,
        'url.path': target.pathname,
        'conceptflow.provider': provider,
      },
    },
    async (span: Span) => {
      try {
        let sent = headers;
        if (headers) {
          sent = { ...headers };
          propagation.inject(context.active(), sent);
        }
        const result = await call(sent);
        span.setAttribute('http.response.status_code', result.response.status);
        if (result.response.status >= 400) span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${result.response.status}` });
        return result;
      } catch (err) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error)?.name ?? 'error' });
        span.setAttribute('error.type', (err as Error)?.name ?? 'error');
        throw err;
      } finally {
        span.end();
      }
    },
  );
}
