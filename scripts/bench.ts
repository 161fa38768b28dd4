// `npm run bench`: round trip of `help` on the BO Wonen bot, next to a bare botbuilder echo handler in the same
// harness (loopback HTTP, a fake Bot Connector, in-memory Azurite); latency, throughput and memory. Then, with
// 10,000 dilemmas in the store: lists, a filtered list, a word search and a detail against `help`, and `help`
// while ten members each open a list once a second.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { azuriteConnectionString, loadConfig } from '../src/config';
import { startAzurite, type AzuriteHandle } from '../src/storage/azurite';
import { benchDilemmas, seedBenchStore } from './bench-dilemmas';
import { MIXED_COMMANDS, mixedMembers, runMixed, seedMixedMembers } from './bench-mixed';

const WARMUP_TURNS = 100;
const SEQUENTIAL_TURNS = 300;
const CONCURRENCY = 10;
const CONCURRENT_TURNS = 1000;
const ROUNDS = boundedInt(process.env.BENCH_ROUNDS, 3, 1, 9);
const TURN_TIMEOUT_MS = 10_000;
const START_TIMEOUT_MS = 60_000;
/** The whole run stops (and fails) after this, whatever happens. */
const DEADLINE_MS = 480_000;
/** Dilemmas seeded into the store once per run. */
const DILEMMAS = boundedInt(process.env.BENCH_DILEMMAS, 10_000, 100, 50_000);
/** Turns of each kind (help, list, filtered list, search, detail) per round, interleaved. */
const DILEMMA_TURNS = 30;
/** How long ten members open a list once a second while `help` is measured, per round. */
const LOAD_MS = 8_000;
const DILEMMA_AIM = 2;
const RSS_SAMPLE_MS = 50;
/** A folder: the children write V8 CPU profiles there when they stop (open them in Chrome DevTools). */
const CPU_PROFILE_DIR = process.env.BENCH_CPU_PROF ? path.resolve(process.env.BENCH_CPU_PROF) : undefined;
const AIM = 1.5;
/** The mixed scenario: this many members using every command at once, for this long. */
const MIXED_MEMBERS = boundedInt(process.env.BENCH_MIXED_MEMBERS, 50, 1, 200);
const MIXED_SECONDS = boundedInt(process.env.BENCH_MIXED_SECONDS, 60, 0, 600);
const MIXED_THINK_MS = boundedInt(process.env.BENCH_MIXED_THINK_MS, 1000, 0, 10_000);

const TENANT = '11111111-1111-4111-8111-111111111111';
/** Member 0 talks in the sequential phase; members 1..10 are the concurrent workers, each in their own chat. */
const MEMBERS = Array.from({ length: CONCURRENCY + 1 }, (_, i) => ({
  aadObjectId: `bbbbbbbb-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
  name: `Bench Persoon ${i + 1}`,
}));
/** A plain member (wethouder, not secretariaat): lists skip the confidential dilemmas of others for them. */
const READER = { aadObjectId: 'bbbbbbbb-0000-4000-8000-000000000099', name: 'Bench Lezer' };

const root = path.resolve(__dirname, '..');

function boundedInt(value: string | undefined, fallback: number, min: number, max: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= min && n <= max ? n : fallback;
}

// ---------------------------------------------------------------------------------------------------------
// A minimal fake Bot Connector: records the moment each reply arrives, matched by its replyToId.

interface Reply {
  at: number;
  activity: Record<string, unknown>;
}

class Connector {
  serviceUrl = '';
  unmatched = 0;
  private server?: http.Server;
  private counter = 0;
  private readonly waiters = new Map<string, { resolve(reply: Reply): void; reject(err: Error): void; timer: NodeJS.Timeout }>();

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const at = performance.now();
        let activity: Record<string, unknown> = {};
        try {
          activity = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {};
        } catch {
          // A body that is not JSON is simply not a reply we wait for.
        }
        const replyToId = typeof activity.replyToId === 'string' ? activity.replyToId : undefined;
        const waiter = replyToId ? this.waiters.get(replyToId) : undefined;
        if (waiter && replyToId) {
          this.waiters.delete(replyToId);
          clearTimeout(waiter.timer);
          waiter.resolve({ at, activity });
        } else {
          this.unmatched++;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: `act-${++this.counter}` }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.serviceUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  /** Register before posting, so a fast reply cannot be missed. */
  expect(activityId: string): { reply: Promise<Reply>; cancel(): void } {
    let cancel = () => {};
    const reply = new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(activityId);
        reject(new Error(`no reply to ${activityId} within ${TURN_TIMEOUT_MS} ms`));
      }, TURN_TIMEOUT_MS);
      this.waiters.set(activityId, { resolve, reject, timer });
      cancel = () => {
        clearTimeout(timer);
        this.waiters.delete(activityId);
      };
    });
    return { reply, cancel };
  }

  async stop(): Promise<void> {
    for (const waiter of this.waiters.values()) clearTimeout(waiter.timer);
    this.waiters.clear();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

// ---------------------------------------------------------------------------------------------------------
// Targets: child processes that print {"url", "pid"} on their first line.

interface Target {
  name: string;
  mode: 'bot' | 'echo';
  url: string;
  pid: number;
  child: ChildProcess;
  /** Whether a reply is the answer we expect to `help` (so we measure the right path, not an error). */
  isExpectedReply(activity: Record<string, unknown>): boolean;
}

const children: ChildProcess[] = [];

async function startTarget(mode: 'bot' | 'echo', name: string, env: Record<string, string>): Promise<Target> {
  const profile = CPU_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${path.join(CPU_PROFILE_DIR, mode)}`] : [];
  const args = ['--no-deprecation', ...profile, '--import', 'tsx', path.join(root, 'scripts/bench-bot.ts'), mode];
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(child);
  let errorOutput = '';
  child.stderr!.on('data', (d: Buffer) => {
    errorOutput = (errorOutput + d.toString()).slice(-2000);
  });
  const first = await new Promise<{ url: string; pid: number }>((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error(`${name} did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`${name} stopped at start (exit ${code}): ${errorOutput.trim()}`));
    };
    child.once('exit', onExit);
    const onData = (d: Buffer) => {
      buffered += d.toString();
      const newline = buffered.indexOf('\n');
      if (newline < 0) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      child.stdout!.off('data', onData);
      // Keep draining stdout so a chatty child can never block on a full pipe.
      child.stdout!.resume();
      try {
        resolve(JSON.parse(buffered.slice(0, newline)) as { url: string; pid: number });
      } catch {
        reject(new Error(`${name} printed something unexpected: ${buffered.slice(0, 200)}`));
      }
    };
    child.stdout!.on('data', onData);
  });
  child.once('exit', (code, signal) => {
    if (!cleaningUp) fail(new Error(`${name} stopped during the run (exit ${code ?? signal}): ${errorOutput.trim()}`));
  });
  const isExpectedReply =
    mode === 'echo'
      ? (a: Record<string, unknown>) => a.text === 'echo: help'
      : (a: Record<string, unknown>) =>
          Array.isArray(a.attachments) &&
          (a.attachments as Array<{ contentType?: string }>)[0]?.contentType === 'application/vnd.microsoft.card.adaptive';
  return { name, mode, url: first.url, pid: first.pid, child, isExpectedReply };
}

// ---------------------------------------------------------------------------------------------------------
// Speaking Teams to a target.

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY * 2 });
let activityCounter = 0;

type BenchMember = { aadObjectId: string; name: string };
/** What a turn says: a message text, or a card's submitted value. */
type Say = { text: string } | { value: Record<string, unknown> };

function helpActivity(serviceUrl: string, member: BenchMember, conversationId: string, say: Say = { text: 'help' }): Record<string, unknown> {
  return {
    type: 'message',
    id: `bench-${++activityCounter}`,
    channelId: 'msteams',
    serviceUrl,
    timestamp: new Date().toISOString(),
    locale: 'nl-NL',
    ...say,
    from: { id: `29:${member.aadObjectId}`, name: member.name, aadObjectId: member.aadObjectId },
    recipient: { id: '28:bot', name: 'BO Wonen' },
    conversation: { id: conversationId, conversationType: 'personal', tenantId: TENANT },
    channelData: { tenant: { id: TENANT } },
  };
}

function post(url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.setTimeout(TURN_TIMEOUT_MS, () => req.destroy(new Error(`POST to ${url} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** One `help` turn (or another `say`): milliseconds from the start of the POST until the connector has the reply. */
async function turn(
  target: Target,
  connector: Connector,
  member: BenchMember,
  conversationId: string,
  say?: Say,
  isExpected: (activity: Record<string, unknown>) => boolean = target.isExpectedReply,
): Promise<number> {
  const activity = helpActivity(connector.serviceUrl, member, conversationId, say);
  const expected = connector.expect(activity.id as string);
  // A reply that never comes rejects after a while, maybe before the POST has returned: that is this turn's error.
  expected.reply.catch(() => undefined);
  const body = JSON.stringify(activity);
  const started = performance.now();
  let status: number;
  try {
    status = await post(target.url, body);
  } catch (err) {
    expected.cancel();
    throw err;
  }
  if (status >= 300) {
    expected.cancel();
    throw new Error(`${target.name} answered HTTP ${status}`);
  }
  const reply = await expected.reply;
  if (!isExpected(reply.activity)) {
    throw new Error(`${target.name} did not answer ${JSON.stringify(say ?? 'help')} as expected: ${JSON.stringify(reply.activity).slice(0, 300)}`);
  }
  return reply.at - started;
}

const conversationOf = (target: Target, worker: number) => `a:bench-${target.mode}-${worker}-${MEMBERS[worker]!.aadObjectId}`;

async function sequential(target: Target, connector: Connector, turns: number): Promise<number[]> {
  const durations: number[] = [];
  for (let i = 0; i < turns; i++) durations.push(await turn(target, connector, MEMBERS[0]!, conversationOf(target, 0)));
  return durations;
}

async function concurrent(target: Target, connector: Connector, turns: number): Promise<{ perSecond: number; durations: number[] }> {
  const durations: number[] = [];
  let issued = 0;
  const worker = async (w: number) => {
    while (issued < turns) {
      issued++;
      durations.push(await turn(target, connector, MEMBERS[w]!, conversationOf(target, w)));
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => worker(i + 1)));
  const elapsed = performance.now() - started;
  return { perSecond: (turns / elapsed) * 1000, durations };
}

// ---------------------------------------------------------------------------------------------------------
// Process figures from /proc (Linux).

function rssMb(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

const clockTicks = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** User plus system CPU time of a process, in ms. */
function cpuMs(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) / clockTicks) * 1000;
  } catch {
    return undefined;
  }
}

function sampleRss(pid: number): { stop(): number | undefined } {
  let peak: number | undefined;
  const take = () => {
    const now = rssMb(pid);
    if (now !== undefined) peak = Math.max(peak ?? 0, now);
  };
  take();
  const timer = setInterval(take, RSS_SAMPLE_MS);
  return {
    stop() {
      clearInterval(timer);
      take();
      return peak;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Statistics and the report.

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? NaN;
}
const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
const median = (values: number[]) => percentile(values, 50);

interface Round {
  p50: number;
  p95: number;
  mean: number;
  perSecond: number;
  loadedP50: number;
  /** CPU ms per turn in the concurrent phase: the target itself, and Azurite. */
  cpuPerTurn?: number;
  azuriteCpuPerTurn?: number;
}

interface Summary {
  rounds: Round[];
  idleRss?: number;
  loadedRss?: number;
}

const fmt = (n: number | undefined, digits = 2) => (n === undefined || Number.isNaN(n) ? 'n/a' : n.toFixed(digits));
const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined || !b ? undefined : a / b);
const fmtRatio = (r: number | undefined) => (r === undefined ? 'n/a' : `${r.toFixed(2)}x`);

function report(echo: Summary, bot: Summary): void {
  const figures = (s: Summary) => ({
    p50: median(s.rounds.map((r) => r.p50)),
    p95: median(s.rounds.map((r) => r.p95)),
    mean: median(s.rounds.map((r) => r.mean)),
    perSecond: median(s.rounds.map((r) => r.perSecond)),
    loadedP50: median(s.rounds.map((r) => r.loadedP50)),
    cpu: s.rounds.every((r) => r.cpuPerTurn !== undefined) ? median(s.rounds.map((r) => r.cpuPerTurn!)) : undefined,
    azuriteCpu: s.rounds.every((r) => r.azuriteCpuPerTurn !== undefined) ? median(s.rounds.map((r) => r.azuriteCpuPerTurn!)) : undefined,
    idleRss: s.idleRss,
    loadedRss: s.loadedRss,
  });
  const e = figures(echo);
  const b = figures(bot);
  const columns = ['p50 ms', 'p95 ms', 'mean ms', 'turns/s', 'RSS idle MB', 'RSS loaded MB'];
  const width = [8, 8, 8, 9, 13, 15];
  const row = (label: string, cells: string[]) => label.padEnd(20) + cells.map((c, i) => c.padStart(width[i]!)).join('');
  const lines = [
    '',
    `help round trip: ${SEQUENTIAL_TURNS} sequential turns, ${CONCURRENT_TURNS} turns at concurrency ${CONCURRENCY};` +
      ` median of ${ROUNDS} round${ROUNDS === 1 ? '' : 's'}`,
    row('', columns),
    row('bare echo', [fmt(e.p50), fmt(e.p95), fmt(e.mean), fmt(e.perSecond, 0), fmt(e.idleRss, 1), fmt(e.loadedRss, 1)]),
    row('BO Wonen help', [fmt(b.p50), fmt(b.p95), fmt(b.mean), fmt(b.perSecond, 0), fmt(b.idleRss, 1), fmt(b.loadedRss, 1)]),
    row('ratio (bot/echo)', [
      fmtRatio(ratio(b.p50, e.p50)),
      fmtRatio(ratio(b.p95, e.p95)),
      fmtRatio(ratio(b.mean, e.mean)),
      fmtRatio(ratio(b.perSecond, e.perSecond)),
      fmtRatio(ratio(b.idleRss, e.idleRss)),
      fmtRatio(ratio(b.loadedRss, e.loadedRss)),
    ]),
    `(p50/p95/mean: sequential round trip, POST start until the connector has the reply; RSS idle: after warm-up` +
      ` and 1 s rest; RSS loaded: highest VmRSS sampled every ${RSS_SAMPLE_MS} ms during the concurrent phases)`,
    '',
    `under load (concurrency ${CONCURRENCY}): p50 ms echo ${fmt(e.loadedP50)}, bot ${fmt(b.loadedP50)};` +
      ` CPU ms per turn echo ${fmt(e.cpu)}, bot ${fmt(b.cpu)} + Azurite ${fmt(b.azuriteCpu)}`,
  ];
  const p50Ratio = ratio(b.p50, e.p50);
  const throughputRatio = ratio(b.perSecond, e.perSecond);
  const met = p50Ratio !== undefined && throughputRatio !== undefined && p50Ratio <= AIM && throughputRatio >= 1 / AIM;
  lines.push(
    `aim (p50 <= ${AIM}x echo, turns/s >= echo/${AIM}): ${met ? 'MET' : 'NOT MET'}` +
      ` (p50 ${fmtRatio(p50Ratio)}, throughput ${fmtRatio(throughputRatio)})`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}


// ---------------------------------------------------------------------------------------------------------
// Dilemmas: lists, a filtered list, a search and a detail beside `help`, and `help` while others list.

/** A reply card that shows what was asked for (so an error or an empty list is never what is measured). */
const cardWith = (marker: string) => (a: Record<string, unknown>) => {
  const attachments = a.attachments as Array<{ contentType?: string; content?: unknown }> | undefined;
  return attachments?.[0]?.contentType === 'application/vnd.microsoft.card.adaptive' && JSON.stringify(attachments[0].content).includes(marker);
};

interface DilemmaKind {
  name: string;
  say(i: number): Say;
  isExpected(a: Record<string, unknown>): boolean;
}

function dilemmaKinds(detailIds: string[]): DilemmaKind[] {
  return [
    { name: "dilemma's", say: () => ({ text: "dilemma's" }), isExpected: cardWith('dilemmaOpen') },
    {
      name: 'filtered list',
      say: () => ({ value: { verb: 'dilemmaList', theme: 'netcongestie', municipality: 'alle', status: 'alle', words: '' } }),
      isExpected: cardWith('dilemmaOpen'),
    },
    { name: 'word search', say: () => ({ text: "dilemma's woning" }), isExpected: cardWith('dilemmaOpen') },
    { name: 'detail', say: (i) => ({ text: `dilemma ${detailIds[i % detailIds.length]}` }), isExpected: cardWith('dilemmaRespond') },
  ];
}

interface DilemmaRound {
  helpP50: number;
  kinds: Record<string, { p50: number; p95: number }>;
  loadedHelpP50: number;
  listsUnderLoad: number;
}

async function dilemmaRound(target: Target, connector: Connector, kinds: DilemmaKind[]): Promise<DilemmaRound> {
  const conversation = `a:bench-reader-${READER.aadObjectId}`;
  const help: number[] = [];
  const durations = new Map<string, number[]>(kinds.map((k) => [k.name, []]));
  // Interleaved, so a slow drift of the machine touches every kind alike.
  for (let i = 0; i < DILEMMA_TURNS; i++) {
    help.push(await turn(target, connector, READER, conversation));
    for (const kind of kinds) durations.get(kind.name)!.push(await turn(target, connector, READER, conversation, kind.say(i), kind.isExpected));
  }
  // Ten members each open a list once a second; meanwhile another member's `help` is measured.
  const loadedHelp: number[] = [];
  let lists = 0;
  const until = performance.now() + LOAD_MS;
  const lister = async (w: number) => {
    while (performance.now() < until) {
      const started = performance.now();
      await turn(target, connector, MEMBERS[w]!, conversationOf(target, w), { text: "dilemma's" }, cardWith('dilemmaOpen'));
      lists++;
      const wait = 1000 - (performance.now() - started);
      if (wait > 0 && performance.now() + wait < until) await new Promise((resolve) => setTimeout(resolve, wait));
      else if (wait > 0) break;
    }
  };
  const helper = async () => {
    while (performance.now() < until) loadedHelp.push(await turn(target, connector, MEMBERS[0]!, conversationOf(target, 0)));
  };
  // Spread the listers over the first second, as people would be.
  await Promise.all([
    helper(),
    ...Array.from({ length: CONCURRENCY }, (_, i) => new Promise((r) => setTimeout(r, (i * 1000) / CONCURRENCY)).then(() => lister(i + 1))),
  ]);
  return {
    helpP50: percentile(help, 50),
    kinds: Object.fromEntries([...durations].map(([name, d]) => [name, { p50: percentile(d, 50), p95: percentile(d, 95) }])),
    loadedHelpP50: percentile(loadedHelp, 50),
    listsUnderLoad: lists,
  };
}

function reportDilemmas(rounds: DilemmaRound[], kinds: DilemmaKind[]): void {
  const spread = (values: number[]) =>
    `${fmtRatio(Math.min(...values))} / ${fmtRatio(median(values))} / ${fmtRatio(Math.max(...values))}`;
  const row = (label: string, cells: string[]) => label.padEnd(22) + cells.map((c, i) => c.padStart([9, 9, 28][i]!)).join('');
  const lines = [
    '',
    `dilemmas: ${DILEMMAS} in the store; ${DILEMMA_TURNS} turns of each kind per round, interleaved with help, as a wethouder;` +
      ` ${rounds.length} round${rounds.length === 1 ? '' : 's'}`,
    row('', ['p50 ms', 'p95 ms', 'p50 / help p50 (min/med/max)']),
    row('help', [fmt(median(rounds.map((r) => r.helpP50))), '', '']),
  ];
  const worst: number[] = [];
  for (const kind of kinds) {
    const ratios = rounds.map((r) => r.kinds[kind.name]!.p50 / r.helpP50);
    worst.push(median(ratios));
    lines.push(
      row(kind.name, [fmt(median(rounds.map((r) => r.kinds[kind.name]!.p50))), fmt(median(rounds.map((r) => r.kinds[kind.name]!.p95))), spread(ratios)]),
    );
  }
  const loaded = rounds.map((r) => r.loadedHelpP50 / r.helpP50);
  lines.push(
    row('help, 10 listing 1/s', [fmt(median(rounds.map((r) => r.loadedHelpP50))), '', spread(loaded)]),
    `(lists opened during the loaded phases: ${rounds.map((r) => r.listsUnderLoad).join(', ')}; ${LOAD_MS / 1000} s each)`,
  );
  const met = worst.every((r) => r <= DILEMMA_AIM) && median(loaded) <= DILEMMA_AIM;
  lines.push(
    `aim (each list/search/detail p50 <= ${DILEMMA_AIM}x help p50; help under load <= ${DILEMMA_AIM}x idle): ${met ? 'MET' : 'NOT MET'}` +
      ` (medians: ${kinds.map((k, i) => `${k.name} ${fmtRatio(worst[i])}`).join(', ')}, loaded help ${fmtRatio(median(loaded))})`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}

// ---------------------------------------------------------------------------------------------------------
// The run.

let cleaningUp = false;
let azurite: AzuriteHandle | undefined;
let connector: Connector | undefined;

async function cleanup(): Promise<void> {
  if (cleaningUp) return;
  cleaningUp = true;
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 2000).unref();
        }),
    ),
  );
  await azurite?.stop();
  await connector?.stop();
  agent.destroy();
}

function fail(err: unknown): void {
  // Once stopping (interrupted, or finished), the errors of turns cut short are expected.
  if (cleaningUp) return;
  process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
  void cleanup().finally(() => process.exit(1));
}

// Last resort: never leave a child behind, even on an abrupt exit.
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null && !child.signalCode) child.kill('SIGKILL');
  if (azurite && azurite.process.exitCode === null && !azurite.process.signalCode) azurite.process.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`\nbench interrupted (${signal}); stopping its processes\n`);
    void cleanup().finally(() => process.exit(130));
  });
}

/** Many members using every command at once against one bot process; memory before and after. */
async function mixed(bot: Target, botEnv: Record<string, string>, summary: Summary, log: (line: string) => void): Promise<void> {
  const members = mixedMembers(MIXED_MEMBERS);
  await seedMixedMembers(loadConfig(botEnv).storage, TENANT, members);
  const apology = (a: Record<string, unknown>) => /Sorry, er ging iets mis|tijdelijk niet beschikbaar/.test(JSON.stringify(a));
  const say = async (member: { aadObjectId: string; name: string }, text: string) => {
    let sawApology = false;
    const ms = await turn(bot, connector!, member, `a:bench-mixed-${member.aadObjectId}`, { text }, (a) => ((sawApology = apology(a)), true));
    return { ms, apology: sawApology };
  };
  for (const member of members) await say(member, 'help');
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const before = rssMb(bot.pid);
  log(`mixed: ${members.length} members, every command, ${MIXED_SECONDS} s; bot RSS before ${fmt(before, 0)} MB`);
  const result = await runMixed(members, MIXED_SECONDS, say, MIXED_THINK_MS);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const after = rssMb(bot.pid);
  const helpP50 = median(summary.rounds.map((r) => r.p50));
  const loadedHelp = result.perCommand.help ?? [];
  const helpP95 = loadedHelp.length ? percentile(loadedHelp, 95) : undefined;
  console.log(`\nmixed load: ${members.length} members at once for ${result.seconds} s, ${result.turns} turns (${fmt(result.turns / result.seconds, 0)}/s)`);
  console.log(`(each member waits about ${MIXED_THINK_MS} ms between commands, as a person reading the answer)`);
  console.log('command                      n   p50 ms   p95 ms   p95 / help p95   p95 / idle help p50   errors');
  for (const command of MIXED_COMMANDS) {
    const values = result.perCommand[command.name]!;
    const p95 = values.length ? percentile(values, 95) : undefined;
    console.log(
      `${command.name.padEnd(24)} ${String(values.length).padStart(6)} ${fmt(values.length ? percentile(values, 50) : undefined).padStart(8)} ${fmt(p95).padStart(8)}` +
        ` ${fmtRatio(ratio(p95, helpP95)).padStart(16)} ${fmtRatio(ratio(p95, helpP50)).padStart(21)} ${String(result.errors[command.name] ?? 0).padStart(8)}`,
    );
  }
  const totalErrors = Object.values(result.errors).reduce((a, b) => a + b, 0);
  const growth = ratio(after, before);
  console.log(`errors: ${totalErrors}; bot RSS ${fmt(before, 0)} MB before, ${fmt(after, 0)} MB after (${growth === undefined ? 'n/a' : `${((growth - 1) * 100).toFixed(0)} %`})`);
  console.log('(p95 / help p95: against help in the same load; p95 / idle help p50: against the idle help round trip above.');
  console.log(' Aim: p95 under 3x the help round trip, zero errors, memory growth under 20 %)');
}

async function main(): Promise<void> {
  const deadline = setTimeout(() => fail(new Error(`the bench did not finish within ${DEADLINE_MS / 1000} s`)), DEADLINE_MS);
  deadline.unref();
  const startedAt = performance.now();
  const log = (line: string) => process.stdout.write(`[${((performance.now() - startedAt) / 1000).toFixed(1).padStart(5)} s] ${line}\n`);

  azurite = await startAzurite();
  connector = new Connector();
  await connector.start();
  log(`Azurite (in memory) on port ${azurite.port}, fake connector at ${connector.serviceUrl}`);

  const botEnv = {
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    STORAGE_CONNECTION_STRING: azuriteConnectionString(azurite.port, '127.0.0.1', azurite.queuePort),
    TABLE_PREFIX: `bench${randomUUID().replace(/-/g, '').slice(0, 12)}`,
    ALLOWED_TENANT_IDS: TENANT,
    // Bootstrap admins are members from their first message, so `help` answers with the welcome card.
    BOOTSTRAP_ADMINS: MEMBERS.map((m) => m.aadObjectId).join(','),
  };

  const [echo, bot] = await Promise.all([
    startTarget('echo', 'bare echo', {}),
    startTarget('bot', 'BO Wonen', { BENCH_BOT_ENV: JSON.stringify(botEnv) }),
  ]);
  log(`bare echo pid ${echo.pid}, BO Wonen pid ${bot.pid}`);
  // After the bot started (it built its list index for the empty store): rows in batches, not chat turns.
  const seedStart = performance.now();
  await seedBenchStore(loadConfig(botEnv).storage, DILEMMAS, { tenantId: TENANT, ...READER });
  log(`${DILEMMAS} dilemmas seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
  // The running bot learns of the bulk write from the change log and loads everything once: wait for that.
  const seenStart = performance.now();
  for (;;) {
    const seen = await turn(bot, connector, READER, `a:bench-reader-${READER.aadObjectId}`, { text: "dilemma's" }, cardWith('dilemmaOpen'))
      .then(() => true)
      .catch(() => false);
    if (seen) break;
    if (performance.now() - seenStart > 30_000) throw new Error('the bot did not show the seeded dilemmas within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  log(`the bot lists them ${((performance.now() - seenStart) / 1000).toFixed(1)} s after the seed`);
  // Dilemmas the reader may open: not confidential, not withdrawn (as the seed made them).
  const detailIds = benchDilemmas(DILEMMAS, TENANT)
    .filter((d) => d.visibility === 'members' && d.status !== 'ingetrokken')
    .slice(-200)
    .map((d) => d.id);
  const kinds = dilemmaKinds(detailIds);
  const dilemmaRounds: DilemmaRound[] = [];

  const targets = [echo, bot];
  const summaries = new Map<Target, Summary>(targets.map((t) => [t, { rounds: [] }]));
  for (const target of targets) {
    // Warm up the code paths, the JIT, keep-alive sockets, and every conversation's first-turn writes.
    await sequential(target, connector, WARMUP_TURNS);
    await concurrent(target, connector, CONCURRENCY * 10);
  }
  for (let i = 0; i < 10; i++) {
    for (const kind of kinds) await turn(bot, connector, READER, `a:bench-reader-${READER.aadObjectId}`, kind.say(i), kind.isExpected);
  }
  await new Promise((resolve) => setTimeout(resolve, 1000));
  for (const target of targets) summaries.get(target)!.idleRss = rssMb(target.pid);
  log(`warmed up (${WARMUP_TURNS} sequential and ${CONCURRENCY * 10} concurrent turns each); idle RSS read`);

  for (let r = 0; r < ROUNDS; r++) {
    // Alternate the order each round, so a slow drift of the machine does not favour one target.
    for (const target of r % 2 === 0 ? [echo, bot] : [bot, echo]) {
      const summary = summaries.get(target)!;
      const durations = await sequential(target, connector, SEQUENTIAL_TURNS);
      const sampler = sampleRss(target.pid);
      const cpuBefore = cpuMs(target.pid);
      const azuriteBefore = cpuMs(azurite.process.pid);
      const loaded = await concurrent(target, connector, CONCURRENT_TURNS);
      const cpuAfter = cpuMs(target.pid);
      const azuriteAfter = cpuMs(azurite.process.pid);
      const peak = sampler.stop();
      if (peak !== undefined) summary.loadedRss = Math.max(summary.loadedRss ?? 0, peak);
      const round: Round = {
        p50: percentile(durations, 50),
        p95: percentile(durations, 95),
        mean: mean(durations),
        perSecond: loaded.perSecond,
        loadedP50: percentile(loaded.durations, 50),
        ...(cpuBefore !== undefined && cpuAfter !== undefined ? { cpuPerTurn: (cpuAfter - cpuBefore) / CONCURRENT_TURNS } : {}),
        ...(azuriteBefore !== undefined && azuriteAfter !== undefined
          ? { azuriteCpuPerTurn: (azuriteAfter - azuriteBefore) / CONCURRENT_TURNS }
          : {}),
      };
      summary.rounds.push(round);
      log(
        `round ${r + 1} ${target.name.padEnd(9)} p50 ${fmt(round.p50)} ms, p95 ${fmt(round.p95)} ms,` +
          ` ${fmt(round.perSecond, 0)} turns/s at concurrency ${CONCURRENCY}, peak RSS ${fmt(peak, 0)} MB`,
      );
    }
    const d = await dilemmaRound(bot, connector, kinds);
    dilemmaRounds.push(d);
    log(
      `round ${r + 1} dilemmas  help p50 ${fmt(d.helpP50)} ms; ` +
        kinds.map((k) => `${k.name} ${fmt(d.kinds[k.name]!.p50)}`).join(', ') +
        ` ms; help while ${CONCURRENCY} list: ${fmt(d.loadedHelpP50)} ms`,
    );
  }
  if (connector.unmatched > 0) log(`note: the connector received ${connector.unmatched} activities that answered nothing we sent`);

  report(summaries.get(echo)!, summaries.get(bot)!);
  reportDilemmas(dilemmaRounds, kinds);
  if (MIXED_SECONDS > 0) await mixed(bot, botEnv, summaries.get(bot)!, log);
  clearTimeout(deadline);
  await cleanup();
  await (await import('./bench-plans')).benchPlans().catch((err: unknown) => ((process.exitCode = 1), process.stderr.write(`bench-plans failed: ${String(err)}\n`)));
  await (await import('./bench-expertise')).benchExpertise().catch((err: unknown) => ((process.exitCode = 1), process.stderr.write(`bench-expertise failed: ${String(err)}\n`)));
  execFileSync(process.execPath, ['--no-deprecation', '--import', 'tsx', path.join(__dirname, 'bench-digest.ts')], { stdio: 'inherit' });
}

main().catch(fail);
