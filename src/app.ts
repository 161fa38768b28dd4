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
import { ProactiveSender } from './proactive/sender';
import { Throttle } from './proactive/throttle';
import { buildCapabilities, directoryOf, tablesOf, type Built, type Capability, type Core, type Directory, type Routes } from './capability';
import { AUDIT_TABLE, AuditLog } from './core/audit';
import { Links } from './core/links';
import { Privacy } from './core/privacy';
import { Room } from './core/room';
import { auditRoutes } from './core/auditRoutes';
import { CAPABILITIES, type CapabilityServices } from './capabilities';
import { createBot } from './bot';
import { createServer } from './server';

export interface RunningApp {
  url: string;
  port: number;
  server: Server;
  /** The core services and each capability's service by name (tests and scripts reach in here). */
  services: Core & { audit: AuditLog; privacy: Privacy } & CapabilityServices;
  built: Built[];
  /** Every route the bot answers: the capabilities' and the core's own (privacy, audit trail). */
  routes: Routes[];
  tables: Tables;
  adapter: CloudAdapter;
  stop(): Promise<void>;
}

export class StartupError extends Error {}

export function createAdapter(config: Config): CloudAdapter {
  const credentials = new ConfigurationServiceClientCredentialFactory({
    MicrosoftAppId: config.bot.appId || undefined,
    MicrosoftAppPassword: config.bot.appPassword || undefined,
    MicrosoftAppType: config.bot.appType,
    MicrosoftAppTenantId: config.bot.tenantId || undefined,
  });
  // With an app id, every request needs a valid Bot Framework token; without one (local), none is checked.
  const auth = new ConfigurationBotFrameworkAuthentication({}, credentials);
  return new CloudAdapter(auth);
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
    await tables.ensure(tablesOf(capabilities, [REFERENCE_TABLE, AUDIT_TABLE]));
  } catch (err) {
    const where = config.storage.accountUrl || 'the configured connection string';
    throw new StartupError(`Storage is not reachable (${where}): ${err instanceof Error ? err.message : String(err)}`);
  }

  const adapter = createAdapter(config);
  const references = new ReferenceStore(tables);
  const sender = new ProactiveSender(adapter, references, new Throttle(), log, { appId: config.bot.appId, locale: config.locale });
  const audit = new AuditLog(tables);
  const links = new Links(config.links.signingSecret, config.links.publicBaseUrl);
  let directory: Directory | undefined;
  const room = new Room(() => {
    if (!directory) throw new Error('The room was asked about before the capabilities were built');
    return directory;
  }, log);
  const core: Core = { config, log, tables, references, sender, audit, links, room };
  const built = await buildCapabilities(capabilities, core);
  directory = directoryOf(built);
  const privacy = new Privacy(core, built, directory);
  const coreRoutes = [privacy.routes(), auditRoutes(core, audit)];
  const bot = createBot(core, built, coreRoutes);
  const services = { ...core, audit, privacy, ...Object.fromEntries(built.map((b) => [b.capability.name, b.service])) } as Core & {
    audit: AuditLog;
    privacy: Privacy;
  } & CapabilityServices;
  const httpRoutes = [...built, ...coreRoutes.map((routes) => ({ routes }))].flatMap((b) => b.routes.http ?? []);
  const server = createServer({ adapter, bot, log, ready: () => tables.ping(), routes: httpRoutes });

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
    stop: async () => {
      retention.stop();
      await Promise.all(jobs.map((job) => job.stop()));
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Idle keep-alive connections would hold the close open for seconds.
      server.server.closeIdleConnections();
      await closed;
      await sender.drain();
    },
  };
}
