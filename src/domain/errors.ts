/**
 * The one error hierarchy of Conceptflow.
 *
 * Every class has a stable `type` string. Activities turn these errors into Temporal
 * `ApplicationFailure`s with the same `type`, and workflow retry policies list the
 * non-retryable ones by the same constants (`NON_RETRYABLE_ERROR_TYPES`). The API maps them to
 * HTTP statuses in one place (src/api/errors.ts).
 *
 * This module must stay free of Node builtins: workflow code imports it.
 */

export const ErrorType = {
  InvalidInput: 'InvalidInputError',
  InvalidImage: 'InvalidImageError',
  InvalidPalette: 'InvalidPaletteError',
  NotFound: 'NotFoundError',
  Conflict: 'ConflictError',
  TaskNotClaimable: 'TaskNotClaimableError',
  ProviderAuth: 'ProviderAuthError',
  ProviderRejected: 'ProviderRejectedError',
  ProviderUnavailable: 'ProviderUnavailableError',
  ProviderBadOutput: 'ProviderBadOutputError',
  Storage: 'StorageError',
  /** Raised by the workflow itself (an ApplicationFailure of this type) when every variation failed. */
  NoVariations: 'NoVariationsError',
} as const;
export type ErrorTypeName = (typeof ErrorType)[keyof typeof ErrorType];

/** Errors that retrying cannot fix: bad input, bad credentials, refused content, a lost claim. */
export const NON_RETRYABLE_ERROR_TYPES: readonly ErrorTypeName[] = [
  ErrorType.InvalidInput,
  ErrorType.InvalidImage,
  ErrorType.InvalidPalette,
  ErrorType.NotFound,
  ErrorType.Conflict,
  ErrorType.TaskNotClaimable,
  ErrorType.ProviderAuth,
  ErrorType.ProviderRejected,
  ErrorType.NoVariations,
];

export interface FieldError {
  /** Dotted path of the offending field, e.g. `palette.colors.2` or `logo_description`. */
  field: string;
  message: string;
}

export interface ErrorOptions {
  cause?: unknown;
  /** Operator-only detail (a provider's error body, a database message): logged, never shown to users. */
  detail?: string;
}

/**
 * `message` is what a user may read (it ends up in `tasks.error_message` and API bodies), except
 * for the types in OPERATOR_ONLY_TYPES whose messages describe internals; `detail` and `cause` are
 * for the logs only.
 */
export abstract class ConceptflowError extends Error {
  abstract readonly type: ErrorTypeName;
  /** Whether a retry of the same call can succeed. */
  abstract readonly retryable: boolean;
  readonly detail?: string;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    if (options?.detail) this.detail = options.detail;
  }
}

/** Input that can never be processed: a 400 at the edge, a non-retryable failure in an activity. */
export class InvalidInputError extends ConceptflowError {
  readonly type = ErrorType.InvalidInput;
  readonly retryable = false;
  constructor(
    message: string,
    readonly fields: FieldError[] = [],
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Bytes that are not a decodable image, or an image over the size limits. */
export class InvalidImageError extends ConceptflowError {
  readonly type = ErrorType.InvalidImage;
  readonly retryable = false;
}

/** A palette that cannot be used: bad hex, empty, too many colours. */
export class InvalidPaletteError extends ConceptflowError {
  readonly type = ErrorType.InvalidPalette;
  readonly retryable = false;
}

export class NotFoundError extends ConceptflowError {
  readonly type = ErrorType.NotFound;
  readonly retryable = false;
}

export class ConflictError extends ConceptflowError {
  readonly type = ErrorType.Conflict;
  readonly retryable = false;
}

/** The task is already finished (completed, failed, canceled) or owned by another run. */
export class TaskNotClaimableError extends ConceptflowError {
  readonly type = ErrorType.TaskNotClaimable;
  readonly retryable = false;
}

/** The provider refused our credentials (401/403): an operator must fix the key. */
export class ProviderAuthError extends ConceptflowError {
  readonly type = ErrorType.ProviderAuth;
  readonly retryable = false;
}

/** The provider refused this request (400, content policy): the user must change the input. */
export class ProviderRejectedError extends ConceptflowError {
  readonly type = ErrorType.ProviderRejected;
  readonly retryable = false;
}

/** 429, 5xx, timeouts, connection resets: worth retrying, after `retryAfterMs` when known. */
export class ProviderUnavailableError extends ConceptflowError {
  readonly type = ErrorType.ProviderUnavailable;
  readonly retryable = true;
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The provider answered, but with output we cannot use (malformed JSON, wrong shape). Retryable: models vary. */
export class ProviderBadOutputError extends ConceptflowError {
  readonly type = ErrorType.ProviderBadOutput;
  readonly retryable = true;
}

/** A storage or database operation failed for an operational reason (retryable). */
export class StorageError extends ConceptflowError {
  readonly type = ErrorType.Storage;
  readonly retryable = true;
}

export function isConceptflowError(err: unknown): err is ConceptflowError {
  return err instanceof ConceptflowError;
}

/** Types whose messages name internals (paths, SQL, hosts): users read these instead. */
const OPERATOR_ONLY_MESSAGES: Partial<Record<ErrorTypeName, string>> = {
  [ErrorType.Storage]: 'A storage operation failed; try again shortly',
};
export const UNEXPECTED_ERROR_MESSAGE = 'An unexpected error occurred';

/** What a user may read about an error; details stay in the logs. Unknown errors get a generic text. */
export function publicMessageOf(err: unknown): string {
  if (!isConceptflowError(err)) return UNEXPECTED_ERROR_MESSAGE;
  return toReadableErrorMessage(OPERATOR_ONLY_MESSAGES[err.type] ?? err.message);
}

const MAX_ERROR_MESSAGE = 1000;

/**
 * Belt and braces for text that reaches users: whatever a message says, URLs, network addresses,
 * bearer tokens, `key=value` secrets, masked keys and long opaque key-like strings are replaced.
 */
const REDACTIONS: [RegExp, string][] = [
  [/\b[a-z][a-z0-9+.-]*:\/\/[^\s'"<>]+/gi, '[url]'],
  [/\bBearer\s+\S+/gi, 'Bearer [redacted]'],
  [/\b(api[_-]?key|access[_-]?token|token|secret|password|authorization)(\s*[:=]\s*)\S+/gi, '$1$2[redacted]'],
  [/\[[0-9a-f:.]*:[0-9a-f:.]*\](?::\d{1,5})?/gi, '[address]'],
  [/\b\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?\b/g, '[address]'],
  [/\b[a-z][a-z0-9.-]*:\d{2,5}\b/gi, '[address]'],
  [/\b(?:sk|pk|rk)[-_][A-Za-z0-9_*.-]{4,}/g, '[redacted]'],
  [/\S*\*{3,}\S*/g, '[redacted]'],
  // 32+ letters, digits and underscores with both letters and digits (not uuids: they have hyphens)
  [/\b(?=[A-Za-z_]*\d)(?=\d*[A-Za-z])[A-Za-z0-9_]{32,}\b/g, '[redacted]'],
];

const redact = (text: string): string => REDACTIONS.reduce((t, [pattern, replacement]) => t.replace(pattern, replacement), text);

/**
 * A message fit for `tasks.error_message` and for users: control characters replaced by spaces,
 * whitespace collapsed, addresses and key-like strings redacted, at most 1,000 characters.
 */
export function toReadableErrorMessage(message: unknown): string {
  const text = typeof message === 'string' ? message : message instanceof Error ? message.message : String(message);
  // eslint-disable-next-line no-control-regex
  const cleaned = redact(text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')).replace(/\s+/g, ' ').trim();
  const nonEmpty = cleaned.length > 0 ? cleaned : 'Unknown error';
  return nonEmpty.length > MAX_ERROR_MESSAGE ? `${nonEmpty.slice(0, MAX_ERROR_MESSAGE - 1)}…` : nonEmpty;
}
