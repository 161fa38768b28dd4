// Entry: configuration → storage → bot → server. Exits with one clear sentence when it cannot start.
import { loadConfig, ConfigError } from './config';
import { startApp, StartupError } from './app';
import { createLogger, errorFields } from './log';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const app = await startApp(config, { log });
  process.on('unhandledRejection', (err) => log.error({ event: 'process.unhandledRejection', err: errorFields(err) }, 'unhandled rejection'));
  const stop = () => void app.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  const known = err instanceof ConfigError || err instanceof StartupError;
  console.error(known ? (err as Error).message : err);
  process.exit(1);
});
