/**
 * Structured logging with pino. Secrets (SAS signatures, tokens, passwords) are redacted.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'password',
  '*.password',
  'token',
  '*.token',
];

/** Removes signature-bearing query parameters from a URL before it is logged. */
export function redactUrl(url: string): string {
  return url.replace(/([?&](?:sig|signature|token|access_token|code)=)[^&#\s]*/gi, '$1REDACTED');
}

export function createLogger(level = process.env.QUARRY_LOG_LEVEL ?? 'info', destination?: NodeJS.WritableStream): Logger {
  const opts = { level, redact: { paths: redactPaths, censor: 'REDACTED' }, base: { app: 'quarry' } };
  return destination ? pino(opts, destination as pino.DestinationStream) : pino(opts, pino.destination(2));
}

/** A logger that writes nothing (tests, library use). */
export const silentLogger: Logger = pino({ level: 'silent' });
