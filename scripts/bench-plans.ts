// The plans part of `npm run bench` (also runnable alone: node --import tsx scripts/bench-plans.ts): imports a
// generated 10,000-row plan list into in-memory Azurite and times it, then starts the bot as a child process on
// those tables and measures the `plan <naam>` round trip beside `help` in the same run (p50, p95).
import { AUDIT_TABLE, AuditLog } from '../src/core/audit';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { azuriteConnectionString, loadConfig } from '../src/config';
import { startAzurite } from '../src/storage/azurite';
import { createTables } from '../src/storage/tables';
import { PlanService } from '../src/features/plans/service';
import { PLAN_TABLES, PlanStore } from '../src/features/plans/store';

const PLANS = 10_000;
const WARMUP = 50;
const TURNS = 300;
const AIM = 2;
const TENANT = '11111111-1111-4111-8111-111111111111';
const MEMBER = { aadObjectId: 'bbbbbbbb-0000-4000-8000-00000000beef', name: 'Bench Secretaris' };
const MUNICIPALITIES = ['Blaricum', 'Gooise Meren', 'Hilversum', 'Huizen', 'Laren', 'Wijdemeren'];
const root = path.resolve(__dirname, '..');

/** 10,000 invented, distinct plan names: two invented parts from 100 each. */
function planNames(): string[] {
  const syllables = ['ba', 'de', 'ki', 'lo', 'mu', 'ra', 'se', 'ti', 'vo', 'we'];
  const words = syllables.flatMap((a) => syllables.map((b) => a + b));
  const suffixes = ['hof', 'veld', 'kade', 'zicht', 'erf', 'park', 'weide', 'gaarde', 'laan', 'dreef'];
  const seconds = words.slice(0, 10).flatMap((w) => suffixes.map((s) => `${w}${s}`));
  const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);
  return words.flatMap((a) => seconds.map((b) => `${cap(a)}${a.length % 2 ? 'n' : ''} ${cap(b)}`)).slice(0, PLANS);
}

function csvOf(names: string[]): Buffer {
  const phases = ['initiatief', 'haalbaarheid', 'planprocedure', 'omgevingsplan vastgesteld', 'vergunning verleend', 'in aanbouw', 'opgeleverd'];
  const lines = ['naam;gemeente;locatie;totaal;sociale huur;middenhuur;betaalbare koop;fase;start bouw;oplevering'];
  names.forEach((name, i) => {
    const total = 20 + (i % 180);
    const social = Math.floor(total / 3);
    lines.push([name, MUNICIPALITIES[i % 6], `Wijk ${i % 40}`, total, social, Math.floor(total / 5), Math.floor(total / 6), phases[i % 7], `${2024 + (i % 4)}-Q${1 + (i % 4)}`, `${2027 + (i % 4)}-Q${1 + (i % 4)}`].join(';'));
  });
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
};

export async function benchPlans(): Promise<void> {
  const log = (line: string) => process.stdout.write(`[plans] ${line}\n`);
  const azurite = await startAzurite();
  const replies = new Map<string, (activity: Record<string, unknown>) => void>();
  const connector = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const activity = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {};
      const waiter = typeof activity.replyToId === 'string' ? replies.get(activity.replyToId) : undefined;
      if (waiter) waiter(activity);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ id: randomUUID() }));
    });
  });
  await new Promise<void>((resolve) => connector.listen(0, '127.0.0.1', resolve));
  const serviceUrl = `http://127.0.0.1:${(connector.address() as AddressInfo).port}/`;
  let child: ChildProcess | undefined;
  try {
    const env = {
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      STORAGE_CONNECTION_STRING: azuriteConnectionString(azurite.port, '127.0.0.1', azurite.queuePort),
      TABLE_PREFIX: `benchplans${randomUUID().replace(/-/g, '').slice(0, 8)}`,
      ALLOWED_TENANT_IDS: TENANT,
      BOOTSTRAP_ADMINS: MEMBER.aadObjectId,
    };
    // The import, in this process, on the tables the bot will use.
    const config = loadConfig(env);
    const tables = createTables(config.storage);
    await tables.ensure([...Object.values(PLAN_TABLES), AUDIT_TABLE]);
    const service = new PlanService(
      new PlanStore(tables),
      () => MUNICIPALITIES.map((name) => ({ id: name.toLowerCase().replace(/ /g, '-'), name: `Gemeente ${name}` })),
      { planChanged: async () => undefined },
      config.plans,
      undefined,
      undefined,
      new AuditLog(tables),
    );
    await service.load();
    const names = planNames();
    const file = csvOf(names);
    const started = performance.now();
    const report = await service.importFile('import', file);
    const importSeconds = (performance.now() - started) / 1000;
    if (report.status !== 'done' || report.created !== PLANS) throw new Error(`the import did not store ${PLANS} plans: ${JSON.stringify(report).slice(0, 300)}`);
    log(`imported ${PLANS.toLocaleString('en')} rows (${(file.length / 1024 / 1024).toFixed(1)} MB CSV) in ${importSeconds.toFixed(1)} s`);

    child = spawn(process.execPath, ['--no-deprecation', '--import', 'tsx', path.join(root, 'scripts/bench-bot.ts'), 'bot'], {
      cwd: root,
      env: { ...process.env, BENCH_BOT_ENV: JSON.stringify(env) },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const loadStarted = performance.now();
    const url = await new Promise<string>((resolve, reject) => {
      let buffered = '';
      child!.stdout!.on('data', (d: Buffer) => {
        buffered += d.toString();
        const newline = buffered.indexOf('\n');
        if (newline >= 0) resolve((JSON.parse(buffered.slice(0, newline)) as { url: string }).url);
      });
      child!.once('exit', (code) => reject(new Error(`the bot stopped at start (exit ${code})`)));
    });
    log(`bot started with ${PLANS.toLocaleString('en')} plans in memory in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s`);

    const agent = new http.Agent({ keepAlive: true });
    let counter = 0;
    const turn = async (text: string, expect: (a: Record<string, unknown>) => boolean): Promise<number> => {
      const id = `plans-${++counter}`;
      const reply = new Promise<Record<string, unknown>>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no reply to "${text}"`)), 10_000);
        replies.set(id, (a) => {
          clearTimeout(timer);
          replies.delete(id);
          resolve(a);
        });
      });
      const body = JSON.stringify({
        type: 'message',
        id,
        channelId: 'msteams',
        serviceUrl,
        locale: 'nl-NL',
        text,
        from: { id: `29:${MEMBER.aadObjectId}`, name: MEMBER.name, aadObjectId: MEMBER.aadObjectId },
        recipient: { id: '28:bot', name: 'BO Wonen' },
        conversation: { id: `a:bench-plans`, conversationType: 'personal', tenantId: TENANT },
        channelData: { tenant: { id: TENANT } },
      });
      const at = performance.now();
      await new Promise<void>((resolve, reject) => {
        const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
          res.resume();
          res.on('end', () => resolve());
        });
        req.on('error', reject);
        req.end(body);
      });
      const activity = await reply;
      const took = performance.now() - at;
      if (!expect(activity)) throw new Error(`unexpected answer to "${text}": ${JSON.stringify(activity).slice(0, 300)}`);
      return took;
    };
    const isPlanCard = (a: Record<string, unknown>) => JSON.stringify(a).includes('"verb":"planFollow"');
    const isCard = (a: Record<string, unknown>) => JSON.stringify(a).includes('application/vnd.microsoft.card.adaptive');
    // Half the questions with a typo (a letter dropped near the end), as people type.
    const question = (i: number) => {
      const name = names[(i * 7919) % names.length]!;
      if (i % 2) return `plan ${name.toLowerCase()}`;
      return `plan ${name.slice(0, -2)}${name.slice(-1)}`;
    };
    for (let i = 0; i < WARMUP; i++) {
      await turn('help', isCard);
      await turn(question(i), isPlanCard);
    }
    const help: number[] = [];
    const plan: number[] = [];
    for (let i = 0; i < TURNS; i++) {
      help.push(await turn('help', isCard));
      plan.push(await turn(question(WARMUP + i), isPlanCard));
    }
    agent.destroy();
    const row = (label: string, v: number[]) => `${label.padEnd(22)}${percentile(v, 50).toFixed(2).padStart(8)}${percentile(v, 95).toFixed(2).padStart(8)}`;
    const ratio = percentile(plan, 50) / percentile(help, 50);
    process.stdout.write(
      [
        '',
        `plans with ${PLANS.toLocaleString('en')} stored: ${TURNS} turns each, alternating, sequential`,
        `${''.padEnd(22)}${'p50 ms'.padStart(8)}${'p95 ms'.padStart(8)}`,
        row('help', help),
        row('plan <naam> (½ typo)', plan),
        `aim (plan p50 <= ${AIM}x help): ${ratio <= AIM ? 'MET' : 'NOT MET'} (${ratio.toFixed(2)}x)`,
        `import of ${PLANS.toLocaleString('en')} rows: ${importSeconds.toFixed(1)} s (aim under 60 s: ${importSeconds < 60 ? 'MET' : 'NOT MET'})`,
        '',
      ].join('\n'),
    );
  } finally {
    if (child && child.exitCode === null) {
      const exited = new Promise<void>((resolve) => child!.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
    }
    await new Promise<void>((resolve) => connector.close(() => resolve()));
    await azurite.stop();
  }
}

if (require.main === module) {
  benchPlans().catch((err: unknown) => {
    process.stderr.write(`bench-plans failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
