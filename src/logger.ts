/**
 * Structured JSON logs (pino). Children carry task_id and workflow_id; every line written while a
 * trace span is active (an API request, an activity, a provider call) carries its trace_id and
 * span_id, so logs and traces of one run join up. Without tracing there is no active span and the
 * mixin adds nothing.
 */
import { isSpanContextValid, trace } from '@opentelemetry/api';
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

function traceFields(): Record<string, string> {
  const context = trace.getActiveSpan()?.spanContext();
  return context && isSpanContextValid(context) ? { trace_id: context.traceId, span_id: context.spanId } : {};
}

/** JSON lines to stdout, or to `destination` (tests read the lines back). */
export function createLogger(level: string = 'info', destination?: DestinationStream): Logger {
  const options = { level, base: { service: 'conceptflow' }, timestamp: pino.stdTimeFunctions.isoTime, mixin: traceFields };
  return destination ? pino(options, destination) : pino(options);
}
