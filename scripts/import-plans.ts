// `npm run import:plans -- <file>`: imports the regional plan list (CSV or XLSX) into the configured storage,
// with the same checks as sending the file in Teams, and prints the report in Dutch. Followers are told of
// changes through the bot's sender, as in the chat. Without configured storage it uses the local Azurite of
// `npm start` (its data folder; or the running one on AZURITE_PORT).
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { azuriteConnectionString, ConfigError, loadConfig, loadStartOptions } from '../src/config';
import { startApp, StartupError } from '../src/app';
import { createLogger } from '../src/log';
import { startAzurite, type AzuriteHandle } from '../src/storage/azurite';
import { importRejectionLines, importSummary, problemText } from '../src/features/plans/cards';
import { t } from '../src/features/plans/messages';
import { LIMITS } from '../src/features/plans/model';

const root = path.resolve(__dirname, '..');
// "0,5 s": the report is Dutch, so is its decimal comma.
const seconds = new Intl.NumberFormat('nl-NL', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Azurite writes its tables to disk every few seconds, and on SIGINT (not on SIGTERM): stop it that way, the
 * queue service too.
 */
async function stopSaving(azurite: AzuriteHandle): Promise<void> {
  const services = [azurite.process, azurite.queueProcess].filter((child) => child.exitCode === null);
  const exited = Promise.all(services.map((child) => new Promise<void>((resolve) => child.once('exit', () => resolve()))));
  for (const child of services) child.kill('SIGINT');
  const timer = setTimeout(() => void azurite.stop(), 10_000);
  await exited;
  clearTimeout(timer);
}

async function main(): Promise<number> {
  const file = process.argv.slice(2).find((a) => !a.startsWith('--'));
  if (!file) {
    console.error('Geef het bestand op: npm run import:plans -- plannen.xlsx');
    return 1;
  }
  if (!existsSync(file) || !statSync(file).isFile()) {
    console.error(`Het bestand ${file} bestaat niet.`);
    return 1;
  }
  if (statSync(file).size > LIMITS.fileBytes) {
    console.error(t('nl', 'plan.import.tooBig', { max: Math.round(LIMITS.fileBytes / 1024 / 1024) }));
    return 1;
  }
  const envFile = path.join(root, '.env');
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  const env: Record<string, string | undefined> = { ...process.env, PORT: '0', HOST: '127.0.0.1' };
  env.LOG_LEVEL ||= 'warn';
  // The command line talks to no Teams tenant of its own; the setting is required for the bot only.
  env.ALLOWED_TENANT_IDS ||= '00000000-0000-0000-0000-000000000000';

  let azurite: AzuriteHandle | undefined;
  if (!env.STORAGE_CONNECTION_STRING && !env.STORAGE_ACCOUNT_URL) {
    const options = loadStartOptions(env, []);
    // Beside a running `npm start`, use its Azurite (tables and the outbox's queue); else start one on its data.
    if (!(await portAnswers(options.azuritePort))) {
      const location = path.resolve(root, options.azuriteLocation);
      mkdirSync(location, { recursive: true });
      azurite = await startAzurite({ port: options.azuritePort, queuePort: options.azuriteQueuePort, location });
    } else if (!(await portAnswers(options.azuriteQueuePort))) {
      console.error(
        `Azurite answers on port ${options.azuritePort}, but its queue does not on port ${options.azuriteQueuePort}: ` +
          'start it with `npm start`, or set AZURITE_QUEUE_PORT.',
      );
      return 1;
    }
    env.STORAGE_CONNECTION_STRING = azuriteConnectionString(
      azurite?.port ?? options.azuritePort,
      '127.0.0.1',
      azurite?.queuePort ?? options.azuriteQueuePort,
    );
  }
  let app: Awaited<ReturnType<typeof startApp>> | undefined;
  try {
    const config = loadConfig(env);
    app = await startApp(config, { log: createLogger(config.logLevel) });
    const started = Date.now();
    const report = await app.services.plans.importFile('import', readFileSync(file));
    if (report.status === 'refused') {
      console.error(`${t('nl', 'plan.import.refusedTitle')}: ${problemText('nl', report.problem)}`);
      return 1;
    }
    console.log(
      `${t('nl', 'plan.import.title')} (${seconds.format((Date.now() - started) / 1000)} s): ` +
        importSummary('nl', { ...report, rejected: report.rejected.length }),
    );
    if (report.unknownColumns.length) console.log(t('nl', 'plan.import.unknownColumns', { columns: report.unknownColumns.join(', ') }));
    if (report.rejected.length) {
      console.log(t('nl', 'plan.import.rejectedTitle'));
      for (const line of importRejectionLines('nl', report.rejected)) console.log(`  ${line}`);
    }
    return 0;
  } finally {
    await app?.stop();
    if (azurite) await stopSaving(azurite);
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof ConfigError || err instanceof StartupError ? err.message : err);
    process.exit(1);
  },
);
