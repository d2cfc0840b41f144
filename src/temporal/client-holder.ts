/**
 * The API's Temporal client, connected in the background. `Connection.connect` fails while the
 * server is down, so the API would otherwise exit at start-up; instead the holder keeps retrying
 * (retry.ts) and hands the client out once the server has answered, and the API answers
 * `/api/ready` 503 (`temporal: failed`) and refuses to start runs until then. After the first
 * connection gRPC reconnects by itself; readiness pings tell whether the server still answers.
 */
import { Client, Connection, type ClientPlugin } from '@temporalio/client';
import type { GenerateConceptInput, RefineConceptInput } from '../domain/inputs.js';
import type { Logger } from '../logger.js';
import { DEFAULT_RETRY, retryUntilConnected } from './retry.js';
import type { ConceptRuns } from './runs.js';
import { TemporalConceptRuns } from './temporal-runs.js';

export class TemporalNotConnectedError extends Error {
  constructor(address: string, cause: string | undefined) {
    super(`Not connected to Temporal at ${address} yet${cause ? ` (${cause})` : ''}`);
    this.name = 'TemporalNotConnectedError';
  }
}

export interface ClientHolderOptions {
  address: string;
  namespace: string;
  logger: Logger;
  plugins?: ClientPlugin[];
  /** Runs once per connection before the client is handed out (e.g. search attribute registration). */
  onConnected?: (connection: Connection) => Promise<void>;
  retry?: { initialDelayMs: number; maxDelayMs: number };
}

export class TemporalClientHolder {
  private client: Client | undefined;
  private connection: Connection | undefined;
  private lastError: string | undefined;
  private readonly abort = new AbortController();
  /** Resolves with the client once connected; rejects only when closed first. */
  readonly connected: Promise<Client>;

  constructor(private readonly options: ClientHolderOptions) {
    const log = options.logger.child({ component: 'temporal-client', temporal: options.address });
    this.connected = retryUntilConnected(
      'Temporal client',
      async () => {
        try {
          const connection = await Connection.connect({ address: options.address });
          try {
            await options.onConnected?.(connection);
          } catch (err) {
            await connection.close();
            throw err;
          }
          return connection;
        } catch (err) {
          this.lastError = (err as Error)?.message ?? String(err);
          throw err;
        }
      },
      { logger: log, signal: this.abort.signal, ...DEFAULT_RETRY, ...options.retry },
    ).then((connection) => {
      this.connection = connection;
      this.client = new Client({ connection, namespace: options.namespace, plugins: options.plugins });
      this.lastError = undefined;
      log.info('Temporal client connected');
      return this.client;
    });
    // Nobody may await `connected` (the API serves without it); a close before connecting is not an error.
    this.connected.catch(() => undefined);
  }

  get address(): string {
    return this.options.address;
  }

  /** The client, or TemporalNotConnectedError while the first connection is still being made. */
  require(): Client {
    if (!this.client) throw new TemporalNotConnectedError(this.options.address, this.lastError);
    return this.client;
  }

  async close(): Promise<void> {
    this.abort.abort(new Error('Temporal client holder closed'));
    await this.connection?.close();
  }
}

/** ConceptRuns whose every call goes to the holder's client; before it connects they fail (ping too). */
export function heldConceptRuns(holder: TemporalClientHolder, taskQueue: string): ConceptRuns {
  let runs: TemporalConceptRuns | undefined;
  const current = () => (runs ??= new TemporalConceptRuns(holder.require(), taskQueue));
  return {
    startGeneration: async (input: GenerateConceptInput) => current().startGeneration(input),
    startRefinement: async (input: RefineConceptInput) => current().startRefinement(input),
    getProgress: async (workflowId) => current().getProgress(workflowId),
    cancel: async (workflowId) => current().cancel(workflowId),
    exists: async (workflowId) => current().exists(workflowId),
    ping: async () => current().ping(),
  };
}
