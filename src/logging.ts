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
  /**
   * `pretty`: one readable line per entry (time, level, message, fields), no stack below debug.
   * @default `pretty` when stderr is a terminal, else `json`; `ABS_BRIDGE_LOG_FORMAT` overrides.
   */
  format?: 'json' | 'pretty';
}

/** The format a logger writes: JSON lines off a terminal (for log collectors), readable on one. */
export function logFormat(env: NodeJS.ProcessEnv = process.env, isTTY = Boolean(process.stderr.isTTY)) {
  const wanted = env.ABS_BRIDGE_LOG_FORMAT;
  if (wanted === 'json' || wanted === 'pretty') return wanted;
  return isTTY ? 'pretty' : 'json';
}

/** The one root logger, made at start-up and passed down; modules use `logger.child({ module })`. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  const format = options.format ?? (options.destination ? 'json' : logFormat());
  const sink = options.destination ?? pino.destination(2);
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: undefined,
    },
    format === 'pretty' ? prettyStream(sink, { stacks: level === 'debug' || level === 'trace' }) : sink,
  );
}

const LEVELS: Record<number, [string, string]> = {
  10: ['TRACE', '\x1b[90m'],
  20: ['DEBUG', '\x1b[90m'],
  30: ['INFO ', '\x1b[32m'],
  40: ['WARN ', '\x1b[33m'],
  50: ['ERROR', '\x1b[31m'],
  60: ['FATAL', '\x1b[35m'],
};
const SKIP = new Set(['level', 'time', 'msg', 'module', 'err', 'pid', 'hostname']);
const MAX_VALUE = 160;

/**
 * Turns pino's JSON lines into `12:03:04 INFO  [bridge] message  key=value`. An error shows its
 * message; its stack only when `stacks` (debug). Colour only when the sink is a terminal.
 */
export function prettyStream(
  sink: pino.DestinationStream,
  options: { stacks?: boolean; colour?: boolean } = {},
): pino.DestinationStream {
  const colour = options.colour ?? (Boolean(process.stderr.isTTY) && !process.env.NO_COLOR);
  return {
    write(line: string) {
      sink.write(`${formatLine(line, options.stacks ?? false, colour)}\n`);
    },
  };
}

/** One pretty line (and the stack below it when asked) from one JSON log line. */
export function formatLine(line: string, stacks: boolean, colour: boolean): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.trimEnd();
  }
  const time = new Date(typeof entry.time === 'number' ? entry.time : Date.now()).toTimeString().slice(0, 8);
  const [name, tint] = LEVELS[entry.level as number] ?? ['?    ', ''];
  const levelText = colour ? `${tint}${name}\x1b[0m` : name;
  const module = typeof entry.module === 'string' ? `[${entry.module}] ` : '';
  const err = entry.err as { message?: string; stack?: string } | undefined;
  const fields = Object.entries(entry)
    .filter(([key, value]) => !SKIP.has(key) && value !== undefined)
    .map(([key, value]) => `${key}=${fieldText(value)}`);
  const parts = [`${time} ${levelText} ${module}${String(entry.msg ?? '')}`];
  if (err?.message) parts.push(`— ${err.message}`);
  if (fields.length) parts.push(colour ? `\x1b[90m${fields.join(' ')}\x1b[0m` : fields.join(' '));
  const text = parts.join('  ');
  return stacks && err?.stack ? `${text}\n${err.stack}` : text;
}

function fieldText(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const short = text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
  return typeof value === 'string' && /\s/.test(short) ? JSON.stringify(short) : short;
}

/** A logger that writes nothing, for tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
