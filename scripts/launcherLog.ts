// The log of `npm start`: the terminal shows LOG_LEVEL and up, while the launcher also sees the bot's info
// events, so it can turn one of them into a short line for the tester without showing every info line.
import pino from 'pino';
import { createLogger, type Logger } from '../src/log';

export type LogRecord = Record<string, unknown> & { level: number };

interface Destination {
  write(line: string): unknown;
}

export function launcherLogger(level: string, onRecord: (record: LogRecord) => void): Logger {
  const shown = level === 'silent' ? Infinity : (pino.levels.values[level] ?? pino.levels.values.info!);
  const log = createLogger(shown < pino.levels.values.info! ? level : 'info');
  // createLogger keeps its redaction and format in one place and takes no destination, so the launcher sits
  // between the logger and its destination (pino.symbols exists for this kind of integration).
  const slot = log as unknown as Record<symbol, Destination>;
  const terminal = slot[pino.symbols.streamSym]!;
  slot[pino.symbols.streamSym] = {
    write(line: string) {
      let record: LogRecord;
      try {
        record = JSON.parse(line) as LogRecord;
      } catch {
        return terminal.write(line); // not one JSON record: show it as it is
      }
      onRecord(record);
      return record.level < shown ? true : terminal.write(line);
    },
  };
  return log;
}
