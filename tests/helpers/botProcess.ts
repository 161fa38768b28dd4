// The bot as a child process (for tests that kill it): the whole environment comes from BOT_ENV, so nothing
// of the developer's shell leaks in. Prints one JSON line when it listens; SIGKILL is the point.
import { loadConfig } from '../../src/config';
import { startApp } from '../../src/app';
import { createLogger } from '../../src/log';

async function main(): Promise<void> {
  const env = JSON.parse(process.env.BOT_ENV ?? '{}') as Record<string, string>;
  const config = loadConfig(env);
  const app = await startApp(config, { log: createLogger(config.logLevel) });
  process.stdout.write(`${JSON.stringify({ url: app.url, pid: process.pid })}\n`);
  process.once('SIGTERM', () => void app.stop().then(() => process.exit(0)));
  process.stdin.on('end', () => void app.stop().then(() => process.exit(0)));
  process.stdin.resume();
}

main().catch((err: unknown) => {
  process.stderr.write(`botProcess: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
