// HTTP: /api/messages for Teams, /healthz and /readyz for the platform.
import restify from 'restify';
import type { CloudAdapter } from 'botbuilder';
import { errorFields, type Logger } from './log';
import type { Bot } from './bot';
import type { HttpRoute } from './capability';

interface ServerDeps {
  adapter: CloudAdapter;
  bot: Bot;
  log: Logger;
  /** Resolves when storage answers; rejects otherwise. */
  ready(): Promise<void>;
  /** Resolves when the work queue answers; without it the bot still serves chats, and its own messages wait. */
  queueReady?(): Promise<void>;
  /** The capabilities' own routes (calendar files, downloads). */
  routes?: HttpRoute[];
}

export function createServer({ adapter, bot, log, ready, queueReady, routes = [] }: ServerDeps): restify.Server {
  const server = restify.createServer({ name: 'bo-wonen', handleUncaughtExceptions: false });
  // Teams messages are at most ~28 KB of text plus card data. A few MB leaves room for forged oversized
  // submits to reach the bot and get a Dutch answer, while still stopping abuse.
  server.use(restify.plugins.bodyParser({ maxBodySize: 4 * 1024 * 1024, mapParams: false, rejectUnknown: true }));

  server.post('/api/messages', async (req, res) => {
    const body: unknown = req.body;
    if (!body || typeof body !== 'object' || Array.isArray(body) || typeof (body as { type?: unknown }).type !== 'string') {
      res.send(400, { error: 'Body must be a Bot Framework activity (JSON object with a type).' });
      return;
    }
    try {
      await adapter.process(req, res, (context) => bot.handle(context));
    } catch (err) {
      log.error({ event: 'http.messages.failed', err: errorFields(err) }, 'processing an activity failed');
      if (!res.headersSent) res.send(500);
    }
  });

  server.get('/healthz', async (_req, res) => {
    res.send(200, { status: 'ok' });
  });

  // Storage away: 503, the instance can do little. Queue away: 200 "degraded", since chats and every change
  // still work (and their notices are kept); only the sending of the bot's own messages waits for the queue.
  server.get('/readyz', async (_req, res) => {
    const [storage, queue] = await Promise.allSettled([withTimeout(ready(), 3000), queueReady ? withTimeout(queueReady(), 3000) : Promise.resolve()]);
    if (storage.status === 'rejected') {
      const err: unknown = storage.reason;
      log.warn({ event: 'readyz.failed', err: err instanceof Error ? err.message : String(err) }, 'storage not reachable');
      res.send(503, { status: 'storage unreachable', queue: queue.status === 'fulfilled' ? 'ok' : 'unreachable' });
      return;
    }
    if (queue.status === 'rejected') {
      const err: unknown = queue.reason;
      log.warn({ event: 'readyz.degraded', err: err instanceof Error ? err.message : String(err) }, 'work queue not reachable');
      res.send(200, {
        status: 'degraded',
        storage: 'ok',
        queue: 'unreachable',
        works: 'chats and changes; notices are kept in the outbox',
        waits: 'proactive messages (notices, digest) until the queue is back',
      });
      return;
    }
    res.send(200, { status: 'ready', storage: 'ok', queue: 'ok' });
  });

  for (const route of routes) {
    server[route.method](route.path, async (req: restify.Request, res: restify.Response) => {
      try {
        await route.handler(req, res);
      } catch (err) {
        log.error({ event: 'http.route.failed', path: route.path, err: errorFields(err) }, 'route failed');
        if (!res.headersSent) res.send(500);
      }
    });
  }

  return server;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (err: unknown) => (clearTimeout(timer), reject(err)),
    );
  });
}
