// `npm run bench:soak`: the mixed load of `npm run bench` for a long time (30 minutes unless BENCH_SOAK_MINUTES
// says otherwise) against one bot process, with a digest to every member every 10 minutes. Once a minute the bot
// reports its own memory (RSS, and the heap after a full collection); the bench prints a line per minute and
// checks that after the warm-up memory grows by at most 10 % and levels off, and that nothing went wrong:
// every turn answered without an apology, every digest delivered to every member exactly once, no error logged.
import { AUDIT_TABLE, AuditLog } from '../src/core/audit';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { azuriteConnectionString, loadConfig } from '../src/config';
import { startApp, type RunningApp } from '../src/app';
import { createLogger } from '../src/log';
import { startAzurite, type AzuriteHandle } from '../src/storage/azurite';
import { createTables } from '../src/storage/tables';
import { tablesOf } from '../src/capability';
import { CAPABILITIES } from '../src/capabilities';
import { REFERENCE_TABLE } from '../src/proactive/references';
import { MemberService } from '../src/features/members/service';
import { MemberStore } from '../src/features/members/store';
import { DIGEST_JOB, DIGEST_SLOT, digestBatch } from '../src/features/agenda/service';
import { mixedMembers, runMixed, type MixedMember } from './bench-mixed';

const bounded = (value: string | undefined, fallback: number, min: number, max: number) => {
  const n = Number(value);
  return Number.isInteger(n) && n >= min && n <= max ? n : fallback;
};
const MINUTES = bounded(process.env.BENCH_SOAK_MINUTES, 30, 1, 240);
const DIGEST_EVERY_MINUTES = bounded(process.env.BENCH_SOAK_DIGEST_MINUTES, 10, 1, 60);
const MEMBERS = bounded(process.env.BENCH_MIXED_MEMBERS, 50, 2, 200);
const THINK_MS = bounded(process.env.BENCH_MIXED_THINK_MS, 1000, 0, 10_000);
/** The first minutes warm the caches, the JIT and every member's first writes; growth counts from their end. */
const WARMUP_MINUTES = Math.max(1, Math.min(5, Math.floor(MINUTES / 3)));
const GROWTH_LIMIT = 0.1;
/** Levelled off: the last third after the warm-up adds at most this much. */
const LEVEL_LIMIT = 0.03;
const TURN_TIMEOUT_MS = 15_000;
const DIGEST_TIMEOUT_MS = 300_000;
const TENANT = '11111111-1111-4111-8111-111111111111';

const root = path.resolve(__dirname, '..');
const startedAt = performance.now();
const clock = () => {
  const s = Math.floor((performance.now() - startedAt) / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
};
const log = (line: string) => process.stdout.write(`[soak ${clock()}] ${line}\n`);
const mb = (bytes: number) => bytes / 1024 / 1024;

// ---------------------------------------------------------------------------------------------------------
// A fake Bot Connector: answers every call with 200, hands replies to the turn waiting for them, and counts the
// proactive messages (the digests) per conversation.

class Connector {
  serviceUrl = '';
  readonly proactive = new Map<string, number>();
  private server?: http.Server;
  private counter = 0;
  private readonly waiters = new Map<string, (activity: Record<string, unknown>) => void>();

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        let activity: Record<string, unknown> = {};
        try {
          activity = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        } catch {
          // Not an activity: nothing waits for it.
        }
        // A turn's reply goes to .../activities/<the activity it answers>; a proactive send (the outbox's
        // sendToConversation) to .../activities, even when it carries a replyToId from the stored reference.
        const m = /\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/.exec(req.url ?? '');
        const waiter = m?.[2] ? this.waiters.get(decodeURIComponent(m[2])) : undefined;
        if (m?.[2] && waiter) {
          this.waiters.delete(decodeURIComponent(m[2]));
          waiter(activity);
        } else if (m && !m[2]) {
          const id = decodeURIComponent(m[1]!);
          this.proactive.set(id, (this.proactive.get(id) ?? 0) + 1);
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: `act-${++this.counter}` }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.serviceUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  expect(activityId: string): { reply: Promise<Record<string, unknown>>; cancel(): void } {
    let cancel = () => {};
    const reply = new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(activityId);
        reject(new Error(`no reply to ${activityId} within ${TURN_TIMEOUT_MS} ms`));
      }, TURN_TIMEOUT_MS);
      this.waiters.set(activityId, (activity) => {
        clearTimeout(timer);
        resolve(activity);
      });
      cancel = () => {
        clearTimeout(timer);
        this.waiters.delete(activityId);
      };
    });
    reply.catch(() => undefined);
    return { reply, cancel };
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

// ---------------------------------------------------------------------------------------------------------
// The bot: scripts/bench-bot.ts as a child process, which answers `memory` on stdin.

interface MemorySample {
  minute: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
}

class BotChild {
  url = '';
  pid = 0;
  errorsLogged = 0;
  warningsLogged = 0;
  readonly lastErrors: string[] = [];
  private readonly memoryWaiters: Array<(m: NodeJS.MemoryUsage) => void> = [];

  constructor(readonly child: ChildProcess) {}

  static async start(env: Record<string, string>): Promise<BotChild> {
    const child = spawn(process.execPath, ['--no-deprecation', '--expose-gc', '--import', 'tsx', path.join(root, 'scripts/bench-bot.ts'), 'bot'], {
      cwd: root,
      env: { ...process.env, BENCH_BOT_ENV: JSON.stringify(env) },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const bot = new BotChild(child);
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-2000);
    });
    await new Promise<void>((resolve, reject) => {
      let buffered = '';
      const onExit = (code: number | null) => reject(new Error(`the bot stopped at start (exit ${code}): ${stderr.trim()}`));
      child.once('exit', onExit);
      child.stdout!.on('data', (d: Buffer) => {
        buffered += d.toString();
        for (let newline = buffered.indexOf('\n'); newline >= 0; newline = buffered.indexOf('\n')) {
          const line = buffered.slice(0, newline);
          buffered = buffered.slice(newline + 1);
          if (!bot.url) {
            const first = JSON.parse(line) as { url: string; pid: number };
            bot.url = first.url;
            bot.pid = first.pid;
            child.off('exit', onExit);
            resolve();
          } else {
            bot.onLine(line);
          }
        }
      });
    });
    child.once('exit', (code, signal) => {
      if (!stopping) fail(new Error(`the bot stopped during the soak (exit ${code ?? signal}): ${stderr.trim()}`));
    });
    return bot;
  }

  private onLine(line: string): void {
    let parsed: { memory?: NodeJS.MemoryUsage; level?: number; event?: string; msg?: string };
    try {
      parsed = JSON.parse(line) as typeof parsed;
    } catch {
      return;
    }
    if (parsed.memory) {
      this.memoryWaiters.shift()?.(parsed.memory);
    } else if ((parsed.level ?? 0) >= 50) {
      this.errorsLogged++;
      this.lastErrors.push(`${parsed.event ?? ''} ${parsed.msg ?? ''}`.trim());
      if (this.lastErrors.length > 5) this.lastErrors.shift();
    } else if ((parsed.level ?? 0) >= 40) {
      this.warningsLogged++;
    }
  }

  memory(): Promise<NodeJS.MemoryUsage> {
    return new Promise((resolve) => {
      this.memoryWaiters.push(resolve);
      this.child.stdin!.write('memory\n');
    });
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null || this.child.signalCode) return resolve();
      this.child.once('exit', () => resolve());
      this.child.kill('SIGTERM');
      setTimeout(() => this.child.kill('SIGKILL'), 3000).unref();
    });
  }
}

// ---------------------------------------------------------------------------------------------------------
// Speaking Teams to the bot.

// A new connection per turn: over half an hour a kept-alive socket now and then meets the server closing it as
// idle (ECONNRESET), which is the client's race, not the bot's error.
const agent = new http.Agent({ keepAlive: false, maxSockets: 64 });
let activityCounter = 0;

function post(url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.setTimeout(TURN_TIMEOUT_MS, () => req.destroy(new Error('the POST timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

const conversationOf = (member: MixedMember) => `a:soak-${member.aadObjectId}`;

async function say(bot: BotChild, connector: Connector, member: MixedMember, text: string): Promise<{ ms: number; apology: boolean }> {
  const activity = {
    type: 'message',
    id: `soak-${++activityCounter}`,
    channelId: 'msteams',
    serviceUrl: connector.serviceUrl,
    timestamp: new Date().toISOString(),
    locale: 'nl-NL',
    text,
    from: { id: `29:${member.aadObjectId}`, name: member.name, aadObjectId: member.aadObjectId },
    recipient: { id: '28:bot', name: 'BO Wonen' },
    conversation: { id: conversationOf(member), conversationType: 'personal', tenantId: TENANT },
    channelData: { tenant: { id: TENANT } },
  };
  const expected = connector.expect(activity.id);
  const started = performance.now();
  try {
    const status = await post(bot.url, JSON.stringify(activity));
    if (status >= 300) throw new Error(`HTTP ${status}`);
  } catch (err) {
    expected.cancel();
    throw err;
  }
  const reply = await expected.reply;
  return { ms: performance.now() - started, apology: /Sorry, er ging iets mis|tijdelijk niet beschikbaar/.test(JSON.stringify(reply)) };
}

// ---------------------------------------------------------------------------------------------------------
// The run.

let stopping = false;
let azurite: AzuriteHandle | undefined;
let connector: Connector | undefined;
let seeder: RunningApp | undefined;
let bot: BotChild | undefined;

async function cleanup(): Promise<void> {
  stopping = true;
  await bot?.stop();
  await seeder?.stop();
  await connector?.stop();
  await azurite?.stop();
  agent.destroy();
}

function fail(err: unknown): void {
  if (stopping) return;
  process.stderr.write(`soak failed: ${err instanceof Error ? err.message : String(err)}\n`);
  void cleanup().finally(() => process.exit(1));
}

process.on('exit', () => {
  for (const child of [bot?.child, azurite?.process, azurite?.queueProcess]) if (child && child.exitCode === null && !child.signalCode) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`\nsoak interrupted (${signal}); stopping its processes\n`);
    void cleanup().finally(() => process.exit(130));
  });
}

interface DigestResult {
  at: string;
  seconds: number;
  sent: number;
  flagged?: string;
  problems: string[];
}

/** One digest to every member: fired as the scheduler would, then waited for until no row is pending. */
async function digest(n: number, members: MixedMember[]): Promise<DigestResult> {
  const at = clock();
  const moment = new Date(Math.floor(Date.now() / 1000) * 1000);
  const batch = digestBatch(moment.toISOString());
  const started = performance.now();
  await seeder!.services.scheduler.fire({ slot: DIGEST_SLOT, job: DIGEST_JOB, next: async () => undefined }, moment);
  const problems: string[] = [];
  for (;;) {
    const report = await seeder!.services.outbox.report(batch);
    if (report.total >= members.length && report.pending === 0) {
      if (report.sent !== members.length) problems.push(`sent ${report.sent} of ${members.length}`);
      if (report.failed || report.unreachable) problems.push(`${report.failed} failed, ${report.unreachable} unreachable`);
      // A send retried after an answer that was lost (a dropped connection) is flagged as possibly double; the
      // count at the connector below says whether anyone really got it twice.
      const flagged = report.maybeDouble ? `; ${report.maybeDouble} flagged mogelijk dubbel` : '';
      const seconds = (performance.now() - started) / 1000;
      // Each member's chat now holds exactly n digests.
      const wrong = members.filter((m) => (connector!.proactive.get(conversationOf(m)) ?? 0) !== n).length;
      if (wrong) problems.push(`${wrong} chats do not hold exactly ${n} digests`);
      return { at, seconds, sent: report.sent, flagged, problems };
    }
    if (performance.now() - started > DIGEST_TIMEOUT_MS) {
      return { at, seconds: DIGEST_TIMEOUT_MS / 1000, sent: report.sent, problems: [`not done within ${DIGEST_TIMEOUT_MS / 1000} s (${report.pending} pending)`] };
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function main(): Promise<void> {
  azurite = await startAzurite();
  connector = new Connector();
  await connector.start();
  const env: Record<string, string> = {
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    STORAGE_CONNECTION_STRING: azuriteConnectionString(azurite.port, '127.0.0.1', azurite.queuePort),
    TABLE_PREFIX: `soak${randomUUID().replace(/-/g, '').slice(0, 12)}`,
    ALLOWED_TENANT_IDS: TENANT,
    // The bench fires the digests itself, every DIGEST_EVERY_MINUTES.
    SCHEDULER: 'off',
    TEAMS_SERVICE_URL: connector.serviceUrl,
  };
  const members = mixedMembers(MEMBERS);
  const tables = createTables(loadConfig(env).storage);
  await tables.ensure(tablesOf(CAPABILITIES, [REFERENCE_TABLE, AUDIT_TABLE]));
  // One of them runs the secretariaat (a digest needs one); all of them get the digest.
  await new MemberService(new MemberStore(tables), [], undefined, 0, new AuditLog(tables)).seed(
    members.map((m, i) => ({
      tenantId: TENANT,
      ...m,
      organisationId: i % 2 ? 'dudok-wonen' : 'hilversum',
      role: i === 0 ? 'secretariaat' : i % 2 ? 'directeur-bestuurder' : 'wethouder',
    })),
  );
  // Fires the digests and reads their reports; it sends nothing itself.
  seeder = await startApp(loadConfig({ ...env, OUTBOX_WORKER: 'off', LOG_LEVEL: 'silent' }), { log: createLogger('silent') });
  bot = await BotChild.start(env);
  for (const member of members) await say(bot, connector, member, 'help');
  log(
    `bot pid ${bot.pid}; ${members.length} members in their own chat; ${MINUTES} min of the mixed load, a digest every ` +
      `${DIGEST_EVERY_MINUTES} min; warm-up ${WARMUP_MINUTES} min`,
  );
  console.log('minute   turns  errors  RSS MB  heap MB (after GC)  heap total MB  external MB  note');

  const samples: MemorySample[] = [];
  const digests: DigestResult[] = [];
  let turnsBefore = 0;
  let turnsNow = 0;
  let errorsNow = 0;
  let lastTurnError = '';
  const notes = new Map<number, string[]>();
  const note = (minute: number, text: string) => notes.set(minute, [...(notes.get(minute) ?? []), text]);
  const running: Array<Promise<unknown>> = [];
  const end = Date.now() + MINUTES * 60_000;

  // A digest every DIGEST_EVERY_MINUTES, the first a minute in.
  let digestCount = 0;
  const digestTimes = Array.from({ length: Math.ceil((MINUTES - 1) / DIGEST_EVERY_MINUTES) }, (_, i) => 60_000 + i * DIGEST_EVERY_MINUTES * 60_000);
  const digestTimers = digestTimes.map((t) =>
    setTimeout(() => {
      const n = ++digestCount;
      note(Math.floor(t / 60_000) + 1, `digest ${n}`);
      running.push(
        digest(n, members).then((d) => {
          digests.push(d);
          log(`digest ${n} (fired at ${d.at}): ${d.sent} sent in ${d.seconds.toFixed(1)} s${d.problems.length ? `; ${d.problems.join('; ')}` : ', each member once'}${d.flagged ?? ''}`);
        }),
      );
    }, t),
  );

  // Once a minute: the bot's memory after a full collection, and what the load did that minute.
  const minuteTimer = setInterval(() => {
    const minute = samples.length + 1;
    running.push(
      bot!.memory().then((m) => {
        const sample = { minute, rss: mb(m.rss), heapUsed: mb(m.heapUsed), heapTotal: mb(m.heapTotal), external: mb(m.external) };
        samples.push(sample);
        console.log(
          `${String(minute).padStart(6)} ${String(turnsNow - turnsBefore).padStart(7)} ${String(errorsNow).padStart(7)} ${sample.rss.toFixed(1).padStart(7)}` +
            ` ${sample.heapUsed.toFixed(1).padStart(19)} ${sample.heapTotal.toFixed(1).padStart(14)} ${sample.external.toFixed(1).padStart(12)}` +
            `  ${[minute <= WARMUP_MINUTES ? 'warm-up' : '', ...(notes.get(minute) ?? [])].filter(Boolean).join(', ')}`,
        );
        turnsBefore = turnsNow;
      }),
    );
  }, 60_000);

  const counted = async (member: MixedMember, text: string) => {
    turnsNow++;
    try {
      const result = await say(bot!, connector!, member, text);
      if (result.apology) (errorsNow++, (lastTurnError = `an apology to "${text}"`));
      return result;
    } catch (err) {
      errorsNow++;
      lastTurnError = err instanceof Error ? err.message : String(err);
      throw err;
    }
  };
  const result = await runMixed(members, Math.round((end - Date.now()) / 1000), counted, THINK_MS);
  // The last minute's sample and any digest still under way.
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, end + 1000 - Date.now())));
  clearInterval(minuteTimer);
  digestTimers.forEach(clearTimeout);
  await Promise.all(running);
  if (samples.length < MINUTES) {
    const m = await bot.memory();
    samples.push({ minute: samples.length + 1, rss: mb(m.rss), heapUsed: mb(m.heapUsed), heapTotal: mb(m.heapTotal), external: mb(m.external) });
  }

  // ---- the verdict ----
  const after = samples.filter((s) => s.minute >= WARMUP_MINUTES);
  const base = after[0]!;
  const last = after[after.length - 1]!;
  const third = after.slice(-Math.max(2, Math.ceil((after.length - 1) / 3) + 1));
  const growth = (key: 'rss' | 'heapUsed', from: MemorySample, to: MemorySample) => to[key] / from[key] - 1;
  const peakGrowth = (key: 'rss' | 'heapUsed') => Math.max(...after.map((s) => s[key])) / base[key] - 1;
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  const turnErrors = Object.values(result.errors).reduce((a, b) => a + b, 0);
  const digestProblems = digests.flatMap((d) => d.problems);
  const checks: Array<[string, boolean]> = [
    [`heap after GC grows at most ${pct(GROWTH_LIMIT)} after the warm-up (end ${pct(growth('heapUsed', base, last))}, peak ${pct(peakGrowth('heapUsed'))})`,
      peakGrowth('heapUsed') <= GROWTH_LIMIT],
    // RSS follows the heap's reserve, which V8 gives back slowly after a digest: the end counts, the peak is shown.
    [`RSS grows at most ${pct(GROWTH_LIMIT)} after the warm-up (end ${pct(growth('rss', base, last))}, peak ${pct(peakGrowth('rss'))})`,
      growth('rss', base, last) <= GROWTH_LIMIT],
    [`levels off: the last ${third.length - 1} min add at most ${pct(LEVEL_LIMIT)} (heap ${pct(growth('heapUsed', third[0]!, last))}, RSS ${pct(growth('rss', third[0]!, last))})`,
      growth('heapUsed', third[0]!, last) <= LEVEL_LIMIT && growth('rss', third[0]!, last) <= LEVEL_LIMIT],
    [`every turn answered, no apology (${result.turns} turns, ${turnErrors} errors)`, turnErrors === 0],
    [`every digest to every member exactly once (${digests.length} digests${digestProblems.length ? `: ${digestProblems.join('; ')}` : ''})`,
      digests.length === digestTimes.length && digestProblems.length === 0],
    [`no error in the bot's log (${bot.errorsLogged} errors, ${bot.warningsLogged} warnings${bot.lastErrors.length ? `: ${bot.lastErrors.join(' | ')}` : ''})`, bot.errorsLogged === 0],
  ];
  console.log(
    `\nsoak: ${MINUTES} min, ${members.length} members, ${result.turns} turns (${(result.turns / (MINUTES * 60)).toFixed(1)}/s), ${digests.length} digests;` +
      ` memory from minute ${base.minute}: RSS ${base.rss.toFixed(1)} → ${last.rss.toFixed(1)} MB, heap ${base.heapUsed.toFixed(1)} → ${last.heapUsed.toFixed(1)} MB`,
  );
  if (turnErrors) console.log(`  turn errors by command: ${JSON.stringify(result.errors)}${lastTurnError ? `; last: ${lastTurnError}` : ''}`);
  for (const [text, ok] of checks) console.log(`  ${ok ? 'OK  ' : 'FAIL'} ${text}`);
  if (checks.some(([, ok]) => !ok)) process.exitCode = 1;
  await cleanup();
}

main().catch(fail);
