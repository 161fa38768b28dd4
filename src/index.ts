// Entry: configuration → telemetry → storage → bot → server. Exits with one clear sentence when it cannot start.
import { loadConfig, ConfigError } from './config';
import { createLogger, errorFields } from './log';
import { startTelemetry } from './telemetry';

class KnownStartupError extends Error {}

async function main(): Promise<void> {
  const config = loadConfig();
  // Before the server and SDK clients load, so that their HTTP calls are traced (only with a connection string).
  const telemetry = startTelemetry(config.telemetry);
  const log = createLogger(config.logLevel, { context: telemetry?.logContext });
  const { startApp, StartupError } = await import('./app');
  const app = await startApp(config, { log }).catch((err: unknown) => {
    throw err instanceof StartupError ? new KnownStartupError(err.message) : err;
  });
  process.on('unhandledRejection', (err) => log.error({ event: 'process.unhandledRejection', err: errorFields(err) }, 'unhandled rejection'));
  const stop = () =>
    void app
      .stop()
      .then(() => telemetry?.shutdown())
      .finally(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  const known = err instanceof ConfigError || err instanceof KnownStartupError;
  console.error(known ? (err as Error).message : err);
  process.exit(1);
});
