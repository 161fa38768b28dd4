// `npm start`: the bot on embedded Azurite (unless real storage is configured) with the Agents Playground to chat in.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { azuriteConnectionString, ConfigError, loadConfig, loadStartOptions } from '../src/config';
import { startApp, StartupError, type RunningApp } from '../src/app';
import { createLogger, errorFields } from '../src/log';
import { AzuriteError, startAzurite, type AzuriteHandle } from '../src/storage/azurite';
import { launcherLogger } from './launcherLog';
import { deliverKept, startInbox } from './playgroundInbox';
import {
  configAs,
  keptLine,
  noticeLine,
  registerPlaygroundChats,
  seedPlaygroundMembers,
  PlaygroundError,
  readPlaygroundFile,
  startPlayground,
  typingLine,
  type PlaygroundHandle,
  type PlaygroundPerson,
} from './playground';

const root = path.resolve(__dirname, '..');

async function main(): Promise<void> {
  const envFile = path.join(root, '.env');
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  const env: Record<string, string | undefined> = { ...process.env };
  const options = loadStartOptions(env, process.argv.slice(2));
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  let stopping = false;
  const onSignal = () => {
    stopping = true;
    void stopAll().then(() => process.exit(0));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    let azurite: AzuriteHandle | undefined;
    if (!env.STORAGE_CONNECTION_STRING && !env.STORAGE_ACCOUNT_URL) {
      const location = path.resolve(root, options.azuriteLocation);
      mkdirSync(location, { recursive: true });
      azurite = await startAzurite({ port: options.azuritePort, queuePort: options.azuriteQueuePort, location });
      stops.push(() => azurite!.stop());
      env.STORAGE_CONNECTION_STRING = azuriteConnectionString(azurite.port, '127.0.0.1', azurite.queuePort);
    }

    const playgroundFile = options.playground ? readPlaygroundFile() : undefined;
    if (playgroundFile) {
      // The Playground's people live in its own tenant, and it always says en-US: show what Dutch users see.
      env.ALLOWED_TENANT_IDS ||= playgroundFile.tenantId;
      if (env.FORCE_LOCALE === undefined) env.FORCE_LOCALE = 'nl';
    }
    // Keep the terminal readable: warnings and errors only, unless LOG_LEVEL says otherwise.
    env.LOG_LEVEL ||= 'warn';
    const config = loadConfig(env);
    if (playgroundFile && config.bot.appId) {
      throw new ConfigError('The Playground sends no Bot Framework token: leave MICROSOFT_APP_ID empty, or start with --no-playground.');
    }

    // Filled once the Playground runs: where each person is reached, and who types.
    const people: PlaygroundPerson[] = [];
    const log = playgroundFile
      ? launcherLogger(config.logLevel, (record) => {
          // The browser shows only the chats of the one typing: say so when a message goes to someone else.
          if (record.event !== 'proactive.sent' || typeof record.conversationId !== 'string') return;
          const line = noticeLine(record.conversationId, people);
          if (line) console.log(line);
        })
      : createLogger(config.logLevel);
    const app: RunningApp = await startApp(config, { log });
    stops.push(() => app.stop());
    // The Playground people first (some demo data names them), then each capability's invented demo data,
    // each into an empty store only (people, plans, the next BO meeting and its agenda, sessions).
    if (playgroundFile) await seedPlaygroundMembers(app.services.members);
    for (const b of app.built) await b.capability.seed?.(b.service, app.services, b.need);
    process.on('unhandledRejection', (err) => log.error({ event: 'process.unhandledRejection', err: errorFields(err) }, 'unhandled rejection'));

    let playground: PlaygroundHandle | undefined;
    let kept = 0;
    if (playgroundFile) {
      const workDir = path.join(root, '.playground');
      const configFile = configAs(options.playgroundAs || playgroundFile.currentUser.id, workDir);
      playground = await startPlayground({
        botEndpoint: `http://127.0.0.1:${app.port}/api/messages`,
        port: options.playgroundPort,
        workDir,
        configFile,
      });
      stops.push(() => playground!.stop());
      // Messages for people who are not typing wait until that person starts: beside the data they belong to
      // (so deleting .azurite/ starts over with both), or in .playground/ on configured storage.
      const inboxDir = azurite ? path.resolve(root, options.azuriteLocation, 'playground-inbox') : path.join(workDir, 'inbox');
      const inbox = await startInbox(inboxDir);
      stops.push(() => inbox.stop());
      people.push(...(await registerPlaygroundChats(app.services.references, playground.port, configFile, inbox)));
      const typing = people.find((p) => p.typing);
      if (typing) kept = await deliverKept(inboxDir, typing.conversationId, playground.port);
      playground.process.once('exit', (code) => {
        if (stopping) return;
        console.error(`The Agents Playground stopped (exit ${code}); the bot keeps running. Ctrl-C stops it.`);
      });
    }

    const storage = azurite ? `embedded Azurite (data in ${options.azuriteLocation}/)` : 'the configured storage account';
    console.log(
      playground
        ? `BO Wonen is running on ${storage}. Open the chat at ${playground.url} — Ctrl-C stops everything. ${typingLine(people)}` +
            (kept ? ` ${keptLine(kept)}` : '')
        : `BO Wonen is running at ${app.url} on ${storage} — Ctrl-C stops it.`,
    );
  } catch (err) {
    await stopAll();
    throw err;
  }
}

main().catch((err: unknown) => {
  const known =
    err instanceof ConfigError || err instanceof StartupError || err instanceof AzuriteError || err instanceof PlaygroundError;
  console.error(known ? (err as Error).message : err);
  process.exit(1);
});
