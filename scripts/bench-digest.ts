// `npm run bench`, digest part: one digest to 2,000 members, sent by two bot instances, through a fake Teams that
// enforces Teams' limits (50 a second per app) and answers a few percent of first sends with 429 + Retry-After.
// Reports the time against the budget-bound minimum, the most calls Teams saw in any sliding second (all
// instances together), and checks that every member got it exactly once.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { azuriteConnectionString, loadConfig } from '../src/config';
import { startApp, type RunningApp } from '../src/app';
import { createLogger } from '../src/log';
import { startAzurite, type AzuriteHandle } from '../src/storage/azurite';
import { digestBatch } from '../src/features/agenda/service';
import { SLOT_MS, WINDOW_SLOTS } from '../src/proactive/budget';
import { LimitedConnector } from '../tests/helpers/limitedConnector';

const RECIPIENTS = Number(process.env.BENCH_DIGEST_RECIPIENTS ?? 2000);
const INSTANCES = Number(process.env.BENCH_DIGEST_INSTANCES ?? 2);
/** The configured app rate (the default, a fifth under Teams' 50). */
const APP_RATE = Number(process.env.BENCH_DIGEST_RATE ?? 40);
const TEAMS_RATE = 50;
const INJECTED_429_PERCENT = 3;
const AIM = 1.15;
const DEADLINE_MS = 240_000;
const TENANT = '11111111-1111-4111-8111-111111111111';
const person = (i: number) => ({ tenantId: TENANT, aadObjectId: `abababab-0000-4000-8000-${String(i).padStart(12, '0')}` });
const chatOf = (i: number) => `a:bench-chat-${i}`;

async function inParallel<T>(items: T[], parallel: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

async function main(): Promise<void> {
  const startedAt = performance.now();
  const log = (line: string) => process.stdout.write(`[digest ${((performance.now() - startedAt) / 1000).toFixed(1).padStart(5)} s] ${line}\n`);
  let azurite: AzuriteHandle | undefined;
  let teams: LimitedConnector | undefined;
  let seeder: RunningApp | undefined;
  const bots: ChildProcess[] = [];
  // Never leave a child behind, even when the deadline cuts the bench short.
  process.on('exit', () => {
    for (const child of [...bots, azurite?.process, azurite?.queueProcess]) if (child && child.exitCode === null && !child.signalCode) child.kill('SIGKILL');
  });
  const deadline = setTimeout(() => {
    process.stderr.write(`digest bench did not finish in time (${teams?.delivered.length ?? 0} of ${RECIPIENTS} delivered)\n`);
    process.exit(1);
  }, DEADLINE_MS);
  try {
    azurite = await startAzurite();
    teams = await new LimitedConnector(TEAMS_RATE).start();
    // A few percent of the chats answer their first send with 429 and Retry-After: 1.
    teams.fault = ({ conversationId, attempt }) => {
      const n = Number(conversationId.split('-').pop());
      return attempt === 1 && n % Math.round(100 / INJECTED_429_PERCENT) === 0 ? { status: 429, retryAfterSeconds: 1 } : undefined;
    };
    const env: Record<string, string> = {
      PORT: '0',
      LOG_LEVEL: 'silent',
      STORAGE_CONNECTION_STRING: azuriteConnectionString(azurite.port, '127.0.0.1', azurite.queuePort),
      TABLE_PREFIX: `bench${randomUUID().replace(/-/g, '').slice(0, 12)}`,
      ALLOWED_TENANT_IDS: TENANT,
      SCHEDULER: 'off',
      PROACTIVE_APP_RATE: String(APP_RATE),
      TEAMS_SERVICE_URL: teams.serviceUrl,
    };
    // Prepares the store (members and their chats) and asks for the digest; it sends nothing itself.
    seeder = await startApp(loadConfig({ ...env, OUTBOX_WORKER: 'off' }), { log: createLogger('silent') });
    const s = seeder.services;
    const indexes = Array.from({ length: RECIPIENTS }, (_, k) => k + 1);
    await inParallel(indexes, 48, async (i) => {
      await s.members.seed([{ ...person(i), name: `Bench Lid ${i}`, organisationId: 'hilversum', role: i === 1 ? 'secretariaat' : 'wethouder' }]);
      await s.references.save({
        reference: {
          channelId: 'msteams',
          serviceUrl: teams!.serviceUrl,
          conversation: { id: chatOf(i), conversationType: 'personal', tenantId: TENANT, isGroup: false, name: '' },
          user: { id: `29:${person(i).aadObjectId}`, name: '' },
          bot: { id: '28:bot', name: 'BO Wonen' },
        },
        conversationType: 'personal',
        locale: i % 10 === 0 ? 'en-GB' : 'nl-NL',
        tenantId: TENANT,
        aadObjectId: person(i).aadObjectId,
        updatedAt: new Date().toISOString(),
      });
    });
    log(`${RECIPIENTS} members with a personal chat seeded`);

    for (let n = 0; n < INSTANCES; n++) {
      const bot = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '../tests/helpers/botProcess.ts')], {
        env: { ...process.env, BOT_ENV: JSON.stringify(env) },
        stdio: ['pipe', 'pipe', 'inherit'],
      });
      bots.push(bot);
      await new Promise<void>((resolve, reject) => {
        bot.stdout!.once('data', () => resolve());
        bot.once('exit', (code) => reject(new Error(`bot exited (${code})`)));
      });
    }
    log(`${INSTANCES} bot instances (child processes ${bots.map((b) => b.pid).join(', ')}) listening; digest fired`);

    const slot = new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString();
    const t0 = performance.now();
    await s.scheduler.fire({ slot: 'digest', job: 'agenda.digest', next: async () => undefined }, new Date(slot));
    let firstAt: number | undefined;
    let lastLogged = 0;
    while (teams.delivered.length < RECIPIENTS) {
      await new Promise((r) => setTimeout(r, 100));
      if (firstAt === undefined && teams.delivered.length > 0) firstAt = performance.now();
      if (performance.now() - lastLogged > 10_000) {
        lastLogged = performance.now();
        log(`${teams.delivered.length} delivered, ${teams.calls} HTTP calls`);
      }
    }
    const elapsed = (performance.now() - t0) / 1000;
    const sinceFirst = (performance.now() - (firstAt ?? t0)) / 1000;
    // A moment more, so a duplicate (if any) would show.
    await new Promise((r) => setTimeout(r, 2000));
    const report = await s.outbox.report(digestBatch(slot));
    const perChat = teams.perConversation();
    const twice = [...perChat.values()].filter((n) => n > 1).length;
    const missed = RECIPIENTS - perChat.size;
    // The budget keeps every sliding second within the rate; a place spans 1.2 s (12 slots), so this is its pace.
    const pace = (APP_RATE * 1000) / (WINDOW_SLOTS * SLOT_MS);
    const bound = RECIPIENTS / pace;
    const busiest = teams.maxCallsInAnySecond();
    const ratio = elapsed / bound;

    process.stdout.write(
      [
        '',
        `Digest to ${RECIPIENTS} members by ${INSTANCES} instances, app rate ${APP_RATE}/s (Teams: ${TEAMS_RATE}), ${INJECTED_429_PERCENT}% of first sends answered 429 (Retry-After 1 s)`,
        `  time from schedule to last delivery  ${elapsed.toFixed(1)} s (first delivery to last: ${sinceFirst.toFixed(1)} s)`,
        `  budget-bound minimum                 ${bound.toFixed(1)} s (recipients / ${pace.toFixed(1)} per second)`,
        `  most calls in any sliding second     ${busiest} (configured rate ${APP_RATE}) ${busiest <= APP_RATE ? 'OK' : 'OVER THE RATE'}`,
        `  ratio                                ${ratio.toFixed(2)}× (aim: within ${AIM}×) ${ratio <= AIM ? 'OK' : 'ABOVE AIM'}`,
        `  HTTP calls to Teams                  ${teams.calls} (${teams.injected} injected 429s, ${teams.overLimit} over a limit)`,
        `  exactly once                         ${perChat.size} members reached, ${twice} twice, ${missed} missed`,
        `  outbox report                        sent ${report.sent}, failed ${report.failed}, unreachable ${report.unreachable}, pending ${report.pending}`,
        '',
      ].join('\n'),
    );
    if (twice || missed || busiest > APP_RATE) process.exitCode = 1;
  } finally {
    clearTimeout(deadline);
    for (const bot of bots) {
      if (bot.exitCode !== null || bot.signalCode) continue;
      bot.kill('SIGTERM');
      await new Promise((r) => {
        bot.once('exit', r);
        setTimeout(() => bot.kill('SIGKILL'), 3000).unref();
      });
    }
    await seeder?.stop();
    await teams?.stop();
    await azurite?.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`digest bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
