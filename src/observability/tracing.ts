/**
 * OpenTelemetry tracing: one trace from the HTTP request through the workflow start, the workflow,
 * each activity and each provider HTTP call.
 *
 * - The API opens a SERVER span per request (http.ts) and the Temporal client interceptor a child
 *   span for the workflow start, carried to the worker in the workflow's headers.
 * - `@temporalio/interceptors-opentelemetry`'s plugin traces the workflow (spans made in the
 *   sandbox, exported through a sink into the same span processor) and every activity, and carries
 *   the context from workflow to activity in the activity's headers.
 * - The provider HTTP client opens a CLIENT span per call (providers/http/tracing.ts).
 *
 * Off unless OTEL_EXPORTER_OTLP_ENDPOINT is set: then spans go out over OTLP http/protobuf to
 * `${endpoint}/v1/traces` in batches. Tests pass their own span processor (an in-memory exporter).
 * Registering the provider also installs the AsyncLocalStorage context manager that lets the log
 * mixin (logger.ts) put the active trace id on every log line.
 */
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { OpenTelemetryPlugin } from '@temporalio/interceptors-opentelemetry';

export interface Tracing {
  /** Add to the Temporal Client and Worker (and bundleWorkflowCode for prebuilt bundles). */
  plugin: OpenTelemetryPlugin;
  /** Flushes pending spans and stops exporting. */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  serviceName: string;
  /** Which entry point this process is (api, worker, conceptflow): a resource attribute. */
  processName: string;
  spanProcessor: SpanProcessor;
}

/** Registers a global tracer provider over `spanProcessor`; once per process. */
export function startTracing(options: TracingOptions): Tracing {
  const resource = new Resource({ 'service.name': options.serviceName, 'conceptflow.process': options.processName });
  const provider = new NodeTracerProvider({ resource, spanProcessors: [options.spanProcessor] });
  provider.register();
  return {
    plugin: new OpenTelemetryPlugin({ resource, spanProcessor: options.spanProcessor }),
    shutdown: () => provider.shutdown(),
  };
}

/** Tracing over OTLP http/protobuf to a collector (`endpoint` as in OTEL_EXPORTER_OTLP_ENDPOINT). */
export function startOtlpTracing(settings: { endpoint: string; serviceName: string }, processName: string): Tracing {
  const exporter = new OTLPTraceExporter({ url: `${settings.endpoint}/v1/traces` });
  return startTracing({ serviceName: settings.serviceName, processName, spanProcessor: new BatchSpanProcessor(exporter) });
}
