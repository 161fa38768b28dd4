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
import { createTables, ensureTables, type Tables } from './storage/tables';
import { TableStorage } from './storage/tableStorage';
import { MemberStore } from './features/members/store';
import { MemberService } from './features/members/service';
import { organisationFileSchema } from './features/members/model';
import organisationFile from './features/members/organisations.json';
import { DilemmaStore } from './features/dilemmas/store';
import { DilemmaService } from './features/dilemmas/service';
import { dilemmaNotifier } from './features/dilemmas/routes';
import { ReferenceStore } from './proactive/references';
import { ProactiveSender } from './proactive/sender';
import { Throttle } from './proactive/throttle';
import { createBot } from './bot';
import { createServer } from './server';
import type { Services } from './features/types';

export interface RunningApp {
  url: string;
  port: number;
  server: Server;
  services: Services;
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

export async function startApp(config: Config, options: { log?: Logger } = {}): Promise<RunningApp> {
  const log = options.log ?? createLogger(config.logLevel);
  const tables = createTables(config.storage);
  try {
    await ensureTables(tables);
  } catch (err) {
    const where = config.storage.accountUrl || 'the configured connection string';
    throw new StartupError(`Storage is not reachable (${where}): ${err instanceof Error ? err.message : String(err)}`);
  }

  const memberStore = new MemberStore(tables);
  const members = new MemberService(memberStore, config.access.bootstrapAdmins, undefined, config.access.memberCacheMs);
  await members.loadOrganisations(organisationFileSchema.parse(organisationFile).organisations);

  const adapter = createAdapter(config);
  const references = new ReferenceStore(tables);
  const sender = new ProactiveSender(adapter, references, new Throttle(), log, { appId: config.bot.appId, locale: config.locale });
  const dilemmas = new DilemmaService(
    new DilemmaStore(tables),
    () => members.listOrganisations().filter((o) => o.kind === 'gemeente').map((o) => o.id),
    dilemmaNotifier(sender),
    (author) => members.resolve({ tenantId: author.tenantId, aadObjectId: author.aadObjectId, name: author.name }),
  );
  const services: Services = { config, log, members, dilemmas, references, sender };
  const bot = createBot(services, new TableStorage(tables.BotState));
  const server = createServer({ adapter, bot, log, ready: () => tables.ping() });

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
  log.info({ event: 'app.started', port }, 'bot listening');
  return {
    url,
    port,
    server,
    services,
    tables,
    adapter,
    stop: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Idle keep-alive connections would hold the close open for seconds.
      server.server.closeIdleConnections();
      await closed;
      await sender.drain();
    },
  };
}
