// The expertise part of the bench (runnable alone: node --import tsx scripts/bench-expertise.ts): 10,000 invented
// dilemmas with responses from 200 invented members and 60 expertise profiles in in-memory Azurite, the bot as a
// child process on those tables, and the round trips of `wie weet <onderwerp>`, the detail button and the
// similar-dilemmas check before saving, each beside `help` in the same run (p50, p95).
import { AUDIT_TABLE, AuditLog } from '../src/core/audit';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { tablesOf } from '../src/capability';
import { CAPABILITIES } from '../src/capabilities';
import { azuriteConnectionString, loadConfig } from '../src/config';
import { DilemmaStore } from '../src/features/dilemmas/store';
import { THEMES } from '../src/features/dilemmas/model';
import { ExpertiseStore } from '../src/features/expertise/store';
import { MemberService } from '../src/features/members/service';
import { MemberStore } from '../src/features/members/store';
import { REFERENCE_TABLE } from '../src/proactive/references';
import { startAzurite } from '../src/storage/azurite';
import { createTables } from '../src/storage/tables';
import { benchDilemmas } from './bench-dilemmas';

const DILEMMAS = 10_000;
const RESPONDERS = 156;
const WARMUP = 30;
const TURNS = 200;
const AIM = 2;
const TENANT = '11111111-1111-4111-8111-111111111111';
const ASKER = { aadObjectId: 'bbbbbbbb-0000-4000-8000-0000000e0001', name: 'Bedachte Vrager' };
const ORGANISATIONS = ['hilversum', 'huizen', 'laren', 'de-alliantie', 'dudok-wonen', 'ymere'];
const TOPICS = ['grondprijs', 'kavelprijs', 'netcongestie', 'stikstof', 'parkeernorm', 'woningbouw', 'bezwaar', 'waterberging', 'grondprjis', 'zorgwoningen'];
const root = path.resolve(__dirname, '..');

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
};

/** Fills the tables: dilemmas (30% with two responses), 200 members, 60 profiles. */
async function seed(storage: ReturnType<typeof loadConfig>['storage']) {
  const tables = createTables(storage);
  await tables.ensure(tablesOf(CAPABILITIES, [REFERENCE_TABLE, AUDIT_TABLE]));
  const dilemmas = benchDilemmas(DILEMMAS, TENANT);
  const responses: Array<{ dilemmaId: string; aad: string; seq: number; talk: boolean }> = [];
  dilemmas.forEach((d, i) => {
    if (i % 10 >= 3) return;
    d.responseCount = 2;
    for (let seq = 1; seq <= 2; seq++) responses.push({ dilemmaId: d.id, aad: `bench-member-${(i * 7 + seq * 13) % RESPONDERS}`, seq, talk: (i + seq) % 4 === 0 });
  });
  const store = new DilemmaStore(tables);
  await store.bulkCreate(dilemmas, 8);
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < responses.length) {
        const r = responses[next++]!;
        const author = { tenantId: TENANT, aadObjectId: r.aad, name: `Bedacht Lid ${r.aad.slice(13)}`, organisationId: ORGANISATIONS[r.aad.length % 6]! };
        await store.addResponse({ dilemmaId: r.dilemmaId, author, text: 'Wij herkennen dit en hebben een aanpak.', wantsToTalk: r.talk, createdAt: new Date().toISOString() }, r.seq);
      }
    }),
  );
  const people = [
    ...Array.from({ length: 40 }, (_, i) => `bench-author-${i}`),
    ...Array.from({ length: 4 }, (_, i) => `bench-recogniser-${i}`),
    ...Array.from({ length: RESPONDERS }, (_, i) => `bench-member-${i}`),
  ];
  await new MemberService(new MemberStore(tables), [], undefined, 0, new AuditLog(tables)).seed([
    ...people.map((aad, i) => ({ tenantId: TENANT, aadObjectId: aad, name: `Bedacht Lid ${i}`, organisationId: ORGANISATIONS[i % 6]!, role: i % 2 ? ('wethouder' as const) : ('directeur-bestuurder' as const) })),
    { tenantId: TENANT, ...ASKER, organisationId: 'huizen', role: 'wethouder' },
  ]);
  const profiles = new ExpertiseStore(tables);
  for (let i = 0; i < 60; i++) {
    await profiles.put(
      { tenantId: TENANT, aadObjectId: people[i * 3]! },
      { themes: [THEMES[i % 10]!.id], words: ['erfpacht', 'flexwonen, tijdelijke woningen', 'grondbeleid', 'parkeernorm'][i % 4]!, findable: i % 10 !== 0, upn: `lid${i}@bench.example`, updatedAt: new Date().toISOString() },
    );
  }
  return { dilemmas, responses: responses.length };
}

export async function benchExpertise(): Promise<void> {
  const log = (line: string) => process.stdout.write(`[expertise] ${line}\n`);
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
  const agent = new http.Agent({ keepAlive: true });
  try {
    const env = {
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      STORAGE_CONNECTION_STRING: azuriteConnectionString(azurite.port, '127.0.0.1', azurite.queuePort),
      TABLE_PREFIX: `benchexp${randomUUID().replace(/-/g, '').slice(0, 8)}`,
      ALLOWED_TENANT_IDS: TENANT,
      BOOTSTRAP_ADMINS: '',
    };
    const seedStarted = performance.now();
    const { dilemmas, responses } = await seed(loadConfig(env).storage);
    log(`seeded ${DILEMMAS.toLocaleString('en')} dilemmas, ${responses.toLocaleString('en')} responses, 201 members, 60 profiles in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);

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
    log(`bot started (dilemmas and the expertise index built) in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s`);

    let counter = 0;
    const turn = async (fields: Record<string, unknown>, expect: (a: Record<string, unknown>) => boolean): Promise<number> => {
      const id = `exp-${++counter}`;
      const reply = new Promise<Record<string, unknown>>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no reply to ${JSON.stringify(fields).slice(0, 100)}`)), 10_000);
        replies.set(id, (a) => {
          clearTimeout(timer);
          replies.delete(id);
          resolve(a);
        });
      });
      // Awaited below, after the request: a timeout meanwhile must not become an unhandled rejection (which
      // would end the process before `finally` stops the bot and Azurite).
      reply.catch(() => undefined);
      const body = JSON.stringify({
        type: 'message',
        id,
        channelId: 'msteams',
        serviceUrl,
        locale: 'nl-NL',
        from: { id: `29:${ASKER.aadObjectId}`, name: ASKER.name, aadObjectId: ASKER.aadObjectId },
        recipient: { id: '28:bot', name: 'BO Wonen' },
        conversation: { id: 'a:bench-expertise', conversationType: 'personal', tenantId: TENANT },
        channelData: { tenant: { id: TENANT } },
        ...fields,
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
      if (!expect(activity)) throw new Error(`unexpected answer to ${JSON.stringify(fields).slice(0, 100)}: ${JSON.stringify(activity).slice(0, 300)}`);
      return took;
    };
    const has = (text: string) => (a: Record<string, unknown>) => JSON.stringify(a).includes(text);
    const visible = dilemmas.filter((d) => d.visibility === 'members' && d.status !== 'ingetrokken');
    const kinds: Array<{ name: string; fields: (i: number) => Record<string, unknown>; expect: (a: Record<string, unknown>) => boolean }> = [
      { name: 'help', fields: () => ({ text: 'help' }), expect: has('application/vnd.microsoft.card.adaptive') },
      { name: 'wie weet <onderwerp>', fields: (i) => ({ text: `wie weet ${TOPICS[i % TOPICS.length]}` }), expect: has('Wie weet iets van') },
      { name: 'Wie weet hier iets van?', fields: (i) => ({ value: { verb: 'expertiseWhoKnows', id: visible[(i * 37) % visible.length]!.id } }), expect: has('Wie weet iets van D-') },
      {
        name: 'similar check (submit)',
        fields: (i) => {
          const d = visible[(i * 53) % visible.length]!;
          return {
            value: {
              verb: 'dilemmaSave', submissionId: `bench-similar-${i}-${randomUUID()}`, title: d.title, description: d.description, theme: d.theme,
              municipalities: 'huizen', relatedPlan: '', relatedPlanId: '', visibility: 'members', wantsAgenda: 'false',
            },
          };
        },
        expect: has('expertiseRecognise'),
      },
    ];
    for (let i = 0; i < WARMUP; i++) for (const k of kinds) await turn(k.fields(i), k.expect);
    const times = new Map<string, number[]>(kinds.map((k) => [k.name, []]));
    for (let i = 0; i < TURNS; i++) for (const k of kinds) times.get(k.name)!.push(await turn(k.fields(WARMUP + i), k.expect));
    const helpP50 = percentile(times.get('help')!, 50);
    const lines = ['', `expertise with ${DILEMMAS.toLocaleString('en')} dilemmas and 200 members: ${TURNS} turns each, alternating, sequential`, `${''.padEnd(26)}${'p50 ms'.padStart(8)}${'p95 ms'.padStart(8)}${'÷ help p50'.padStart(12)}`];
    let met = true;
    for (const k of kinds) {
      const v = times.get(k.name)!;
      const ratio = percentile(v, 50) / helpP50;
      if (k.name !== 'help' && ratio > AIM) met = false;
      lines.push(`${k.name.padEnd(26)}${percentile(v, 50).toFixed(2).padStart(8)}${percentile(v, 95).toFixed(2).padStart(8)}${`${ratio.toFixed(2)}x`.padStart(12)}`);
    }
    lines.push(`aim (each p50 <= ${AIM}x help p50): ${met ? 'MET' : 'NOT MET'}`, '');
    process.stdout.write(lines.join('\n'));
  } finally {
    // Everything this run started stops, also after a failure: the bot, the fake connector (its keep-alive
    // connections too, or close waits for them) and Azurite.
    try {
      agent.destroy();
      if (child && child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child!.once('exit', () => resolve()));
        child.kill('SIGTERM');
        await exited;
      }
      connector.closeAllConnections();
      await new Promise<void>((resolve) => connector.close(() => resolve()));
    } finally {
      await azurite.stop();
    }
  }
}

if (require.main === module) {
  benchExpertise().catch((err: unknown) => {
    process.stderr.write(`bench-expertise failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
