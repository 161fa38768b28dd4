// Structured JSON logs. Never log message text or card input at info level: ids and types only.
import pino, { type Logger } from 'pino';

export type { Logger };

interface LoggerOptions {
  /** Extra fields for every line, such as the trace id when telemetry is on. */
  context?: () => Record<string, string>;
}

export function createLogger(level: string, options: LoggerOptions = {}): Logger {
  return pino({
    level,
    ...(options.context ? { mixin: options.context } : {}),
    base: { app: 'bo-wonen' },
    timestamp: pino.stdTimeFunctions.isoTime,
    // A safety net in case a detail object carries user input into a log line by mistake.
    redact: { paths: ['text', 'value', '*.text', '*.value', 'activity.text', 'activity.value'], censor: '[redacted]' },
  });
}

/**
 * The parts of an error worth logging. SDK errors can carry the whole request (with message text or
 * card input in its body, and auth headers), so only these fields go to the log.
 */
export function errorFields(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: String(err) };
  const e = err as Error & { code?: unknown; statusCode?: unknown };
  return {
    type: e.name,
    message: e.message.slice(0, 500),
    ...(e.code !== undefined ? { code: e.code } : {}),
    ...(e.statusCode !== undefined ? { statusCode: e.statusCode } : {}),
    stack: e.stack,
  };
}
