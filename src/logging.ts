import pino from 'pino';

export type Logger = pino.Logger;

/** Paths pino blanks out wherever they appear in a log line: secrets never reach the logs. */
export const REDACT_PATHS = [
  'token',
  'apiKey',
  'password',
  'authorization',
  'authHeader',
  'refreshToken',
  'accessToken',
  '*.token',
  '*.apiKey',
  '*.password',
  '*.authorization',
  '*.Authorization',
  '*.authHeader',
  '*.refreshToken',
  '*.accessToken',
  'headers.authorization',
  'headers.Authorization',
  'config.headers.Authorization',
  'req.headers.authorization',
  '*.headers.authorization',
  '*.headers["x-refresh-token"]',
];

export interface LoggerOptions {
  level?: string;
  /** Where lines go; defaults to stderr so stdout stays clean for `--json`. */
  destination?: pino.DestinationStream;
}

/** The one root logger, made at start-up and passed down; modules use `logger.child({ module })`. */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: undefined,
    },
    options.destination ?? pino.destination(2),
  );
}

/** A logger that writes nothing, for tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
