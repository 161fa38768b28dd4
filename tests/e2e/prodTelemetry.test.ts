// Telemetry as production runs it: the real entry point (src/index.ts) in its own process, Table Storage on the
// test run's Azurite, the fake Bot Connector, and a local HTTPS server standing in for Application Insights'
// ingestion host (the exporter turns any http:// endpoint into https://, so the stand-in speaks TLS with a
// certificate made for the test, which the bot process trusts through NODE_EXTRA_CA_CERTS). A guard loaded
// into the bot process records every outgoing connection and stops any that would leave the machine, before
// a packet is sent.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { generate } from 'selfsigned';
import { azuriteConnectionString } from '../../src/config';
import { freePort } from '../../src/storage/azurite';
import { ERROR_CODE_ATTRIBUTE } from '../../src/telemetry';
import { FakeConnector } from '../helpers/connector';
import { TENANT, testTablePrefix } from '../helpers/harness';

const root = path.resolve(__dirname, '../..');
const SECRET_TEXT = 'geheime-zin-over-grondprijs-4711';

// Runs before any module of the bot: wraps net.Socket#connect. Loopback and local sockets pass; anything else
// is recorded and refused. At exit it writes what it saw, and which telemetry modules were loaded.
const GUARD = `
const net = require('node:net');
const fs = require('node:fs');
const seen = { allowed: [], blocked: [] };
const original = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  const options = first && typeof first === 'object' ? first : { port: first, host: typeof args[1] === 'string' ? args[1] : undefined };
  if (options.path) return original.apply(this, args);
  const host = String(options.host || 'localhost');
  const loopback = host === 'localhost' || host === '::1' || /^127\\./.test(host);
  (loopback ? seen.allowed : seen.blocked).push(host + ':' + options.port);
  if (loopback) return original.apply(this, args);
  const error = Object.assign(new Error('refused by the test guard: ' + host), { code: 'ECONNREFUSED' });
  process.nextTick(() => this.destroy(error));
  return this;
};
process.on('exit', () => {
  const modules = Object.keys(require.cache).filter((file) => /@azure[\\\\/]monitor-opentelemetry|@opentelemetry[\\\\/](sdk-|exporter|instrumentation)/.test(file));
  fs.writeFileSync(process.env.NET_GUARD_REPORT, JSON.stringify({ ...seen, modules }));
});
`;

interface GuardReport {
  allowed: string[];
  blocked: string[];
  modules: string[];
}

/** A stand-in for the Application Insights ingestion host: records every batch it is sent. */
class FakeIngestion {
  readonly batches: string[] = [];
  /** The certificate's file, for NODE_EXTRA_CA_CERTS. */
  caFile = '';
  url = '';
  private server?: https.Server;

  async start(dir: string): Promise<this> {
    const made = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
      keyType: 'ec',
      curve: 'P-256',
      extensions: [
        { name: 'basicConstraints', cA: true },
        { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
      ],
    });
    this.caFile = path.join(dir, 'ingestion-ca.pem');
    writeFileSync(this.caFile, made.cert);
    this.server = https.createServer({ key: made.private, cert: made.cert }, (req, res) => this.record(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `https://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  private record(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
      this.batches.push(`${req.method} ${req.url}\n${body}`);
      const items = (body.match(/"iKey"/g) ?? []).length;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ itemsReceived: items, itemsAccepted: items, errors: [] }));
    });
  }

  /** Telemetry items (envelopes) of the track calls, each as its JSON text. */
  envelopes(): Array<Record<string, unknown>> {
    return this.batches
      .filter((batch) => batch.startsWith('POST') && batch.includes('/track'))
      .flatMap((batch) => JSON.parse(batch.slice(batch.indexOf('\n') + 1)) as Array<Record<string, unknown>>);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

interface BotRun {
  stdout: string;
  stderr: string;
  report: GuardReport;
}

/** Starts src/index.ts with the guard, sends one message that fails, stops it with SIGTERM. */
async function runFailingTurn(dir: string, connector: FakeConnector, extraEnv: Record<string, string>): Promise<BotRun> {
  writeFileSync(path.join(dir, 'guard.js'), GUARD);
  const port = await freePort();
  const child = spawn(process.execPath, ['--no-deprecation', '--require', path.join(dir, 'guard.js'), '--import', 'tsx', 'src/index.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: dir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      STORAGE_CONNECTION_STRING: azuriteConnectionString(Number(process.env.TEST_AZURITE_PORT), '127.0.0.1', Number(process.env.TEST_AZURITE_QUEUE_PORT)),
      TABLE_PREFIX: testTablePrefix(),
      ALLOWED_TENANT_IDS: TENANT,
      APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
      NET_GUARD_REPORT: path.join(dir, 'report.json'),
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitForHealth(port, () => stderr);
    // The bot's reply is refused once, so the turn fails and the person gets the apology with a code.
    let refused = false;
    connector.fault = ({ method }) => {
      if (method !== 'POST' || refused) return undefined;
      refused = true;
      return { status: 403, body: { error: { code: 'Forbidden', message: 'refused by the test' } } };
    };
    const user = 'aaaaaaaa-0000-4000-8000-00000000000a';
    const res = await fetch(`http://127.0.0.1:${port}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        id: 'in-telemetry-1',
        channelId: 'msteams',
        serviceUrl: connector.serviceUrl,
        timestamp: new Date().toISOString(),
        locale: 'nl-NL',
        text: SECRET_TEXT,
        from: { id: `29:${user}`, name: 'Tessa Telemetrie', aadObjectId: user },
        recipient: { id: '28:bot', name: 'BO Wonen' },
        conversation: { id: `a:personal-${user}`, conversationType: 'personal', tenantId: TENANT },
        channelData: { tenant: { id: TENANT } },
      }),
    });
    expect(res.status).toBeLessThan(300);
  } finally {
    // Stopped whatever happened; a bot that does not stop on SIGTERM within 10 s is killed.
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), 10_000)));
    if ((await Promise.race([exited, late])) === 'late') {
      child.kill('SIGKILL');
      await exited;
    }
    clearTimeout(timer);
  }
  return { stdout, stderr, report: JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as GuardReport };
}

/** Waits for the bot's health check, at most 90 s: well below the tests' own timeout, so a slow start says why. */
async function waitForHealth(port: number, stderr: () => string): Promise<void> {
  for (const deadline = Date.now() + 90_000; Date.now() < deadline; ) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the bot did not start: ${stderr()}`);
}

/** The code in the apology the person received ("... code 3AF709 ..."). */
function apologyCode(connector: FakeConnector): string {
  const texts = connector.records.map((r) => String(r.activity.text ?? ''));
  const code = texts.map((text) => /\b([0-9A-F]{6})\b/.exec(text)?.[1]).find(Boolean);
  if (!code) throw new Error(`no apology with a code among: ${texts.join(' | ')}`);
  return code;
}

// Each test starts the bot as a child process (tsx compiles it first): slow on a busy machine.
jest.setTimeout(180_000);

let dir: string;
let connector: FakeConnector;
let ingestion: FakeIngestion;
beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'bo-wonen-telemetry-'));
  connector = await new FakeConnector().start();
  ingestion = await new FakeIngestion().start(dir);
});
afterEach(async () => {
  await connector.stop();
  await ingestion.stop();
});

it('loads no telemetry code and connects nowhere but storage and the connector without a connection string', async () => {
  const run = await runFailingTurn(dir, connector, {});
  const code = apologyCode(connector);
  expect(run.stdout).toContain(`"code":"${code}"`);

  expect(run.report.modules).toEqual([]);
  expect(run.report.blocked).toEqual([]);
  const azurite = [`:${process.env.TEST_AZURITE_PORT}`, `:${process.env.TEST_AZURITE_QUEUE_PORT}`];
  const connectorPort = `:${new URL(connector.serviceUrl).port}`;
  expect(run.report.allowed.filter((target) => !azurite.some((a) => target.endsWith(a)) && !target.endsWith(connectorPort))).toEqual([]);
  expect(ingestion.batches).toEqual([]);
});

it('sends the failed turn with its apology code, and without the message text, when a connection string is set', async () => {
  const connectionString =
    `InstrumentationKey=00000000-0000-4000-8000-0000000000aa;IngestionEndpoint=${ingestion.url};LiveEndpoint=${ingestion.url}`;
  const run = await runFailingTurn(dir, connector, {
    APPLICATIONINSIGHTS_CONNECTION_STRING: connectionString,
    NODE_EXTRA_CA_CERTS: ingestion.caFile,
  });
  const code = apologyCode(connector);

  expect(run.report.modules.some((file) => file.includes('monitor-opentelemetry'))).toBe(true);
  // Distro 1.18.1 always asks the Azure VM metadata address (169.254.169.254) about the host; on App Service
  // nothing answers there. Here the guard refused it before it left, and nothing else tried to leave.
  expect(run.report.blocked.filter((target) => !target.startsWith('169.254.169.254:'))).toEqual([]);

  const envelopes = ingestion.envelopes();
  const failed = envelopes.filter((e) => JSON.stringify(e).includes(`"${ERROR_CODE_ATTRIBUTE}":"${code}"`));
  expect(failed.length).toBeGreaterThan(0);
  const request = failed.find((e) => String(e.name).endsWith('.Request'));
  expect(request).toBeDefined();
  const requestData = (request!.data as { baseData: { success: boolean; name: string } }).baseData;
  expect(requestData.name).toContain('/api/messages');
  expect(requestData.success).toBe(false);
  // The exception and the Table Storage and Bot Connector calls of that turn share its operation id.
  const operationId = (request!.tags as Record<string, string>)['ai.operation.id'];
  const sameOperation = envelopes.filter((e) => (e.tags as Record<string, string>)['ai.operation.id'] === operationId);
  expect(sameOperation.some((e) => String(e.name).endsWith('.Exception'))).toBe(true);
  expect(sameOperation.filter((e) => String(e.name).endsWith('.RemoteDependency')).length).toBeGreaterThan(0);

  // The log line with the code carries the same trace id, so the logs and the traces meet.
  const logLine = run.stdout.split('\n').find((line) => line.includes(`"code":"${code}"`));
  expect(logLine).toContain(`"trace_id":"${operationId}"`);

  const everything = ingestion.batches.join('\n');
  expect(everything).not.toContain(SECRET_TEXT);
  expect(run.stdout).not.toContain(SECRET_TEXT);
});
