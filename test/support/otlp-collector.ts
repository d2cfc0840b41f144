/**
 * A local OTLP/HTTP trace receiver (the part of an OpenTelemetry collector the app talks to):
 * accepts `POST /v1/traces` in http/protobuf, decodes each request with the OTLP protobuf
 * definitions the exporter itself uses, and keeps the spans.
 */
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';

interface DecodedSpan {
  traceId: Uint8Array;
  spanId: Uint8Array;
  parentSpanId: Uint8Array;
  name: string;
}
interface ExportRequest {
  resourceSpans: { resource?: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: DecodedSpan[] }[] }[];
}

const require = createRequire(import.meta.url);
// The exporter package's generated OTLP protobuf root (not a public entry point; test use only).
const otlpRoot = require(require.resolve('@opentelemetry/otlp-transformer').replace(/index\.js$/, 'generated/root.js')) as {
  opentelemetry: { proto: { collector: { trace: { v1: { ExportTraceServiceRequest: { decode(bytes: Uint8Array): ExportRequest } } } } } };
};
const ExportTraceServiceRequest = otlpRoot.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

export interface CollectedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  service: string | undefined;
}

export interface OtlpCollector {
  /** For OTEL_EXPORTER_OTLP_ENDPOINT. */
  endpoint: string;
  spans: CollectedSpan[];
  contentTypes: string[];
  stop(): Promise<void>;
}

const hex = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? []).toString('hex');

export async function startOtlpCollector(): Promise<OtlpCollector> {
  const spans: CollectedSpan[] = [];
  const contentTypes: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      contentTypes.push(String(req.headers['content-type']));
      const decoded = ExportTraceServiceRequest.decode(Buffer.concat(chunks));
      for (const resourceSpans of decoded.resourceSpans) {
        const service = resourceSpans.resource?.attributes.find((a) => a.key === 'service.name')?.value.stringValue;
        for (const scope of resourceSpans.scopeSpans) {
          for (const span of scope.spans) {
            spans.push({ traceId: hex(span.traceId), spanId: hex(span.spanId), parentSpanId: hex(span.parentSpanId), name: span.name, service });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    spans,
    contentTypes,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
