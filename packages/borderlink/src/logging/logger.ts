// A levelled logger that is off by default. Log lines carry call metadata (request id, path, status, timings),
// never bodies; the token is redacted wherever a header could be logged.

/** How much the client logs. @default 'off' */
export type LogLevel = 'off' | 'error' | 'warn' | 'info' | 'debug';

/**
 * Where log lines go: called as `(message, fields)`. `console` fits; for loggers that take the fields first (pino),
 * pass an adapter.
 * @example
 * ```ts
 * // `log` is a pino logger, which takes the fields first.
 * const client = createClient({ transport, context, logLevel: 'info', logger: {
 *   error: (m, f) => log.error(f ?? {}, m), warn: (m, f) => log.warn(f ?? {}, m), info: (m, f) => log.info(f ?? {}, m), debug: (m, f) => log.debug(f ?? {}, m),
 * } });
 * ```
 */
export interface Logger {
  error(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
}

const rank: Record<LogLevel, number> = { off: 0, error: 1, warn: 2, info: 3, debug: 4 };

/** @internal */
export interface LevelledLogger {
  enabled(level: Exclude<LogLevel, 'off'>): boolean;
  log(level: Exclude<LogLevel, 'off'>, message: string, fields?: Record<string, unknown>): void;
}

/** @internal */
export function createLevelledLogger(level: LogLevel, sink: Logger, secrets: readonly string[]): LevelledLogger {
  const threshold = rank[level];
  const redact = (fields: Record<string, unknown> | undefined) => {
    if (fields === undefined || secrets.length === 0) return fields;
    let text = JSON.stringify(fields);
    let changed = false;
    for (const secret of secrets) {
      if (secret && text.includes(secret)) {
        text = text.split(secret).join('[redacted]');
        changed = true;
      }
    }
    return changed ? (JSON.parse(text) as Record<string, unknown>) : fields;
  };
  return {
    enabled: (l) => rank[l] <= threshold,
    log(l, message, fields) {
      if (rank[l] > threshold) return;
      try {
        sink[l](`borderlink: ${message}`, redact(fields));
      } catch {
        // A log sink's failure must not fail a border check, nor lose or repeat a batch row.
      }
    },
  };
}
