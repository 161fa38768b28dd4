// Wires configuration, storage, services, bot and HTTP server into one running application.
import type { AddressInfo } from 'node:net';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
} from 'botbuilder';
import type { Server } from 'restify';
import type { Config } from './config';
import { createLogger, type Logger } from './log';
import { createTables, type Tables } from './storage/tables';
import { REFERENCE_TABLE, ReferenceStore } from './proactive/references';
import { ProactiveSender, TeamsConnectors } from './proactive/sender';
import { Throttle } from './proactive/throttle';
import { BUDGET_TABLE, SharedAppBudget } from './proactive/budget';
import { OUTBOX_TABLE, Outbox } from './proactive/outbox';
import { createWorkQueue } from './proactive/queue';
import { SCHEDULE_TABLE, Scheduler } from './proactive/scheduler';
import { cronTimes } from './time';
import { OutboxWorker } from './proactive/worker';
import { buildCapabilities, directoryOf, tablesOf, type Built, type Capability, type Core, type Directory, type Routes } from './capability';
import { AUDIT_TABLE, AuditLog, type AuditSentences, type AuditWords } from './core/audit';
import { Links } from './core/links';
import { Privacy, privacyAuditSentences } from './core/privacy';
import { Room } from './core/room';
import { auditRoutes, auditWords } from './core/auditRoutes';
import { CAPABILITIES, type CapabilityServices } from './capabilities';
import { createBot } from './bot';
import { createServer } from './server';

export interface RunningApp {
  url: string;
  port: number;
  server: Server;
  /** The core services and each capability's service by name (tests and scripts reach in here). */
  services: Core & { audit: AuditLog; auditWords: AuditWords; privacy: Privacy } & CapabilityServices;
  /** The one sender, used by the outbox worker only (tests compare its call count with what Teams saw). */
  sender: ProactiveSender;
  built: Built[];
  /** Every route the bot answers: the capabilities' and the core's own (privacy, audit trail). */
  routes: Routes[];
  tables: Tables;
  adapter: CloudAdapter;
  /** Sends what is in the outbox (started unless OUTBOX_WORKER=off). */
  worker: OutboxWorker;
  budget: SharedAppBudget;
  stop(): Promise<void>;
}

/** The core's own tables: conversations, the outbox, the shared Teams budget and scheduled moments. */
export const CORE_TABLES = [REFERENCE_TABLE, AUDIT_TABLE, OUTBOX_TABLE, BUDGET_TABLE, SCHEDULE_TABLE] as const;

export class StartupError extends Error {}

function createAuth(config: Config): ConfigurationBotFrameworkAuthentication {
  const credentials = new ConfigurationServiceClientCredentialFactory({
    MicrosoftAppId: config.bot.appId || undefined,
    MicrosoftAppPassword: config.bot.appPassword || undefined,
    MicrosoftAppType: config.bot.appType,
    MicrosoftAppTenantId: config.bot.tenantId || undefined,
  });
  // With an app id, every request needs a valid Bot Framework token; without one (local), none is checked.
  return new ConfigurationBotFrameworkAuthentication({}, credentials);
}

export interface StartOptions {
  log?: Logger;
  /** The capabilities to run; the product's list unless a test brings its own. */
  capabilities?: readonly Capability<any, string>[];
}

export async function startApp(config: Config, options: StartOptions = {}): Promise<RunningApp> {
  const log = options.log ?? createLogger(config.logLevel);
  const capabilities = options.capabilities ?? CAPABILITIES;
  const tables = createTables(config.storage);
  try {
    await tables.ensure(tablesOf(capabilities, CORE_TABLES));
  } catch (err) {
    const where = config.storage.accountUrl || 'the configured connection string';
    throw new StartupError(`Storage is not reachable (${where}): ${err instanceof Error ? err.message : String(err)}`);
  }

  const auth = createAuth(config);
  const adapter = new CloudAdapter(auth);
  const references = new ReferenceStore(tables);
  const budget = new SharedAppBudget(tables, config.proactive.appRate, log);
  const sender = new ProactiveSender(new TeamsConnectors(auth, config.bot.appId), references, new Throttle(budget), log, {
    appId: config.bot.appId,
    locale: config.locale,
  });
  let queue;
  try {
    queue = createWorkQueue(config, 'outbox');
    await queue.ensure();
  } catch (err) {
    throw new StartupError(`The work queue is not reachable: ${err instanceof Error ? err.message : String(err)}`);
  }
  const outbox = new Outbox(tables, queue);
  const scheduler = new Scheduler(tables, outbox, log);
  // Delivery rows are personal data: each night, those older than the retention period go.
  outbox.job('outbox.prune', async () => {
    const removed = await outbox.prune(new Date(Date.now() - config.proactive.retentionDays * 24 * 3_600_000));
    log.info({ event: 'outbox.pruned', removed }, 'old delivery rows removed');
  });
  const nightly = cronTimes('30 3 * * *');
  scheduler.add({ slot: 'outbox-prune', job: 'outbox.prune', next: async (after) => nightly(after) });
  const audit = new AuditLog(tables);
  const links = new Links(config.links.signingSecret, config.links.publicBaseUrl);
  let directory: Directory | undefined;
  const room = new Room(() => {
    if (!directory) throw new Error('The room was asked about before the capabilities were built');
    return directory;
  }, log);
  const core: Core = {
    config,
    log,
    tables,
    references,
    audit,
    links,
    room,
    outbox,
    scheduler,
    contributions: { digest: [], agendaCandidates: [], choices: {} },
  };
  const built = await buildCapabilities(capabilities, core);
  directory = directoryOf(built);
  const worker = new OutboxWorker(outbox, queue, sender, references, log, config.proactive, config.locale);
  const privacy = new Privacy(core, built, directory);
  const sentences = Object.assign({}, privacyAuditSentences, ...built.map((b) => b.capability.auditSentences ?? {})) as AuditSentences;
  const words = auditWords(sentences);
  audit.know(sentences);
  const coreRoutes = [privacy.routes(), auditRoutes(core, audit, words)];
  const bot = createBot(core, built, coreRoutes);
  const services = { ...core, audit, auditWords: words, privacy, ...Object.fromEntries(built.map((b) => [b.capability.name, b.service])) } as Core & {
    audit: AuditLog;
    auditWords: AuditWords;
    privacy: Privacy;
  } & CapabilityServices;
  const httpRoutes = [...built, ...coreRoutes.map((routes) => ({ routes }))].flatMap((b) => b.routes.http ?? []);
  const server = createServer({ adapter, bot, log, ready: () => tables.ping(), queueReady: () => queue.ping(), routes: httpRoutes });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new StartupError(
          err.code === 'EADDRINUSE'
            ? `Port ${config.port} is already in use: stop the other program or set PORT.`
            : `The bot could not listen on ${config.host}:${config.port}: ${err.message}`,
        ),
      ),
    );
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.host}:${port}/api/messages`;
  if (!config.links.publicBaseUrl) links.baseUrl = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  const retention = privacy.startRetention();
  if (config.proactive.worker) worker.start();
  if (config.digest.scheduler) scheduler.start();
  const jobs = built.flatMap((b) => (b.capability.jobs ? [b.capability.jobs(b.service, core)] : []));
  for (const job of jobs) job.start();
  log.info({ event: 'app.started', port }, 'bot listening');
  return {
    url,
    port,
    server,
    services,
    built,
    routes: [...built.map((b) => b.routes), ...coreRoutes],
    tables,
    adapter,
    sender,
    worker,
    budget,
    stop: async () => {
      retention.stop();
      scheduler.stop();
      await Promise.all(jobs.map((job) => job.stop()));
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Idle keep-alive connections would hold the close open for seconds.
      server.server.closeIdleConnections();
      await closed;
      await worker.stop();
    },
  };
}
