// Structured JSON logs. Never log message text or card input at info level: ids and types only.
import pino, { type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { app: 'bo-wonen' },
    timestamp: pino.stdTimeFunctions.isoTime,
    // A safety net in case a detail object carries user input into a log line by mistake.
    redact: { paths: ['text', 'value', '*.text', '*.value', 'activity.text', 'activity.value'], censor: '[redacted]' },
  });
}
