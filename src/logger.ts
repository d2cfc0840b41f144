/** Structured JSON logs (pino). Children carry task_id and workflow_id. */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string = 'info'): Logger {
  return pino({ level, base: { service: 'conceptflow' }, timestamp: pino.stdTimeFunctions.isoTime });
}
