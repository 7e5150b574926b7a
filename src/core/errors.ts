/**
 * One error type for all of Quarry. Every error carries a stable code `area/kebab-name`
 * registered in `error-codes.ts`, which also gives the HTTP status and the CLI exit code.
 */
import { errorCodes, type ErrorCode } from './error-codes.js';

/** A position in a source text: 0-based offsets, 1-based line and column (as editors show them). */
export interface SourceSpan {
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly column: number;
}

export interface QuarryErrorInit {
  readonly span?: SourceSpan;
  readonly hints?: readonly string[];
  readonly cause?: unknown;
  readonly details?: Record<string, unknown>;
}

export class QuarryError extends Error {
  readonly code: ErrorCode;
  readonly span?: SourceSpan;
  readonly hints?: readonly string[];
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, init: QuarryErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'QuarryError';
    this.code = code;
    if (init.span) this.span = init.span;
    if (init.hints && init.hints.length > 0) this.hints = init.hints;
    if (init.details) this.details = init.details;
  }

  get httpStatus(): number {
    return errorCodes[this.code].status;
  }

  /** True when the user's input is at fault (CLI exit 2, HTTP 4xx). */
  get isUserError(): boolean {
    return errorCodes[this.code].status < 500;
  }

  /** The public JSON shape: `{code, message, line?, column?, hints?, details?}`. Never a stack. */
  toJSON(): ErrorBody {
    const body: ErrorBody = { code: this.code, message: this.message };
    if (this.span) {
      body.line = this.span.line;
      body.column = this.span.column;
    }
    if (this.hints) body.hints = [...this.hints];
    if (this.details) body.details = this.details;
    return body;
  }
}

export interface ErrorBody {
  code: string;
  message: string;
  line?: number;
  column?: number;
  hints?: string[];
  details?: Record<string, unknown>;
}

export function isQuarryError(e: unknown): e is QuarryError {
  return e instanceof QuarryError;
}

/** Wraps anything thrown into a QuarryError; unknown errors become `core/internal` (message kept, stack not exposed). */
export function toQuarryError(e: unknown): QuarryError {
  if (e instanceof QuarryError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new QuarryError('core/internal', message, { cause: e });
}

/** Computes 1-based line/column for a 0-based offset in `text`. */
export function spanAt(text: string, start: number, end: number = start): SourceSpan {
  let line = 1;
  let lineStart = 0;
  const stop = Math.min(Math.max(start, 0), text.length);
  for (let i = 0; i < stop; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { start, end, line, column: start - lineStart + 1 };
}
