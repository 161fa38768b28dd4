// Child process of `npm run bench`: runs either the BO Wonen bot or a bare botbuilder echo handler, so the
// benchmark can read the process's own memory. Prints one JSON line with its URL; exits when stdin closes.
// A line `memory` on stdin is answered with one JSON line of process.memoryUsage() (after a full collection when
// started with --expose-gc, so the soak sees what is retained, not what waits for the collector).
import type { AddressInfo } from 'node:net';
import restify from 'restify';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';

/** The same restify and CloudAdapter set-up as src/server.ts, with a handler that only echoes. */
async function startEcho(): Promise<{ url: string; stop(): Promise<void> }> {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const server = restify.createServer({ name: 'bench-echo', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: 1024 * 1024, mapParams: false, rejectUnknown: true }));
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, async (context) => {
      if (context.activity.type === 'message') await context.sendActivity(`echo: ${context.activity.text ?? ''}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/messages`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function startBot(): Promise<{ url: string; stop(): Promise<void> }> {
  // Loaded only here, so the echo process carries none of the bot's modules and its memory is a fair baseline.
  const [{ loadConfig }, { startApp }, { createLogger }] = await Promise.all([
    import('../src/config'),
    import('../src/app'),
    import('../src/log'),
  ]);
  // The parent passes the whole environment for the bot, so a developer's .env or shell cannot leak in.
  const env = JSON.parse(process.env.BENCH_BOT_ENV ?? '{}') as Record<string, string>;
  const config = loadConfig(env);
  const app = await startApp(config, { log: createLogger(config.logLevel) });
  return { url: app.url, stop: () => app.stop() };
}

async function main(): Promise<void> {
  const mode = process.argv[2];
  if (mode !== 'bot' && mode !== 'echo') throw new Error('usage: bench-bot.ts bot|echo');
  const running = mode === 'bot' ? await startBot() : await startEcho();
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    const timer = setTimeout(() => process.exit(0), 1000);
    timer.unref();
    void running.stop().finally(() => process.exit(0));
  };
  // The parent holds our stdin: when it goes away (even killed), so do we.
  process.stdin.on('end', stop);
  process.stdin.on('close', stop);
  let asked = '';
  process.stdin.on('data', (chunk: Buffer) => {
    asked += chunk.toString();
    for (let newline = asked.indexOf('\n'); newline >= 0; newline = asked.indexOf('\n')) {
      const line = asked.slice(0, newline).trim();
      asked = asked.slice(newline + 1);
      if (line !== 'memory') continue;
      (globalThis as { gc?: () => void }).gc?.();
      process.stdout.write(`${JSON.stringify({ memory: process.memoryUsage() })}\n`);
    }
  });
  process.stdin.resume();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdout.write(`${JSON.stringify({ mode, url: running.url, pid: process.pid })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench-bot: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
