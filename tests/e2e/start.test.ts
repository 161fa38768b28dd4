// `npm start`'s launcher as a newcomer meets it: one clear sentence and exit code 1 when it cannot start,
// and a clean stop of every child process on Ctrl-C.
import { spawn } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import WebSocket from 'ws';
import { freePort } from '../../src/storage/azurite';
import { readPlaygroundFile } from '../../scripts/playground';

const root = path.resolve(__dirname, '../..');

// Each launch compiles and starts child processes; on a busy machine that takes a while (deadlines stay below).
jest.setTimeout(90_000);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Every launcher a test started and that has not exited yet: stopped after each test, whatever happened. */
const running = new Set<{ child: ReturnType<typeof spawn>; done: Promise<Run> }>();

/** Waits at most `ms` for the run to end; true when it did. */
async function ended(run: { done: Promise<Run> }, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const result = await Promise.race([run.done.then(() => true as const), late]);
  clearTimeout(timer);
  return result;
}

afterEach(async () => {
  // Ctrl-C first (the launcher then stops Azurite and the Playground itself); if it hangs, end its whole group.
  for (const run of [...running]) {
    if (!run.child.pid) continue;
    try {
      process.kill(-run.child.pid, 'SIGINT');
    } catch {
      /* already gone */
    }
    if (!(await ended(run, 10_000))) {
      try {
        process.kill(-run.child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
      await ended(run, 5_000);
    }
  }
  running.clear();
});

function launch(env: Record<string, string>, args: string[] = ['--no-playground']) {
  const child = spawn(process.execPath, ['--no-deprecation', '--import', 'tsx', 'scripts/start.ts', ...args], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: os.tmpdir(),
      ALLOWED_TENANT_IDS: '11111111-1111-4111-8111-111111111111',
      AZURITE_LOCATION: mkdtempSync(path.join(os.tmpdir(), 'bo-wonen-start-')),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so a test can end the launcher and everything it started, even when it hangs.
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<Run>((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
  const run = { child, done };
  running.add(run);
  void done.then(() => running.delete(run));
  return { child, done, output: () => stdout };
}

/** Waits until the launcher printed `text`, at most `ms` (keep it below the test's own timeout). */
async function waitFor(run: { output: () => string }, text: string, ms = 100_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!run.output().includes(text) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
}

/** A launcher that starts Azurite and the bot can take long on a busy machine: well above the deadlines above. */
const STARTING_TEST_MS = 150_000;

async function occupy(port: number): Promise<net.Server> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

it('says in one sentence that the bot port is taken, and exits with 1', async () => {
  const port = await freePort();
  const blocker = await occupy(port);
  try {
    const run = await launch({ PORT: String(port), AZURITE_PORT: String(await freePort()), AZURITE_QUEUE_PORT: String(await freePort()) }).done;
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(`Port ${port} is already in use: stop the other program or set PORT.`);
  } finally {
    blocker.close();
  }
});

it('says in one sentence that the Azurite port is taken', async () => {
  const port = await freePort();
  const blocker = await occupy(port);
  try {
    const run = await launch({ AZURITE_PORT: String(port), AZURITE_QUEUE_PORT: String(await freePort()) }).done;
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(`Port ${port} is already in use: stop the other program or set AZURITE_PORT.`);
  } finally {
    blocker.close();
  }
});

it('names the bad setting when the configuration is wrong', async () => {
  const run = await launch({ ALLOWED_TENANT_IDS: 'contoso', AZURITE_PORT: String(await freePort()), AZURITE_QUEUE_PORT: String(await freePort()) }).done;
  expect(run.code).toBe(1);
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  expect(run.stderr).toMatch(/^Bad configuration: ALLOWED_TENANT_IDS/);
});

it('names the Playground people to choose from when --as names nobody', async () => {
  const run = await launch({ AZURITE_PORT: String(await freePort()), AZURITE_QUEUE_PORT: String(await freePort()), PORT: String(await freePort()) }, ['--as', 'niemand']).done;
  expect(run.code).toBe(1);
  expect(run.stderr.trim()).toBe('No Playground user "niemand" to type as: choose one of marieke, joost, fatima, pieter, linda, ruud.');
});

it('starts on embedded Azurite, answers /healthz, and stops everything on Ctrl-C', async () => {
  const port = await freePort();
  const azuritePort = await freePort();
  const run = launch({ PORT: String(port), AZURITE_PORT: String(azuritePort), AZURITE_QUEUE_PORT: String(await freePort()) });
  await waitFor(run, 'BO Wonen is running');
  expect(run.output()).toContain(`http://127.0.0.1:${port}/api/messages`);
  expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  run.child.kill('SIGINT');
  const result = await run.done;
  expect(result.code).toBe(0);
  // Azurite went with it: its port is free again.
  const probe = net.connect(azuritePort, '127.0.0.1');
  const refused = await new Promise<boolean>((resolve) => {
    probe.once('connect', () => resolve(false));
    probe.once('error', () => resolve(true));
  });
  probe.destroy();
  expect(refused).toBe(true);
}, STARTING_TEST_MS);

it('keeps a message for someone who is not typing, and shows it when that person starts', async () => {
  // One data folder for both starts, as on a developer's machine.
  const ports = async () => ({
    ALLOWED_TENANT_IDS: '',
    PORT: String(await freePort()),
    AZURITE_PORT: String(await freePort()),
    AZURITE_QUEUE_PORT: String(await freePort()),
    PLAYGROUND_PORT: String(await freePort()),
    AZURITE_LOCATION: location,
  });
  const location = mkdtempSync(path.join(os.tmpdir(), 'bo-wonen-start-'));
  const startLine = (run: { output: () => string }) => run.output().split('\n').find((l) => l.startsWith('BO Wonen is running'))!;

  // Pieter (secretariaat) sends the digest now: every member gets one, Marieke too, whose chat he does not see.
  // An empty ALLOWED_TENANT_IDS lets the launcher allow the Playground's own tenant, as on a fresh clone.
  const first = launch(await ports(), ['--as', 'pieter']);
  try {
    await waitFor(first, 'BO Wonen is running', 180_000);
    expect(startLine(first)).toMatch(/ Je typt als Pieter de Graaf \(secretariaat\)\.$/);
    const playground = /Open the chat at (http:\/\/localhost:\d+)/.exec(startLine(first))![1];
    const res = await fetch(`${playground}/_conversation/v1/conversations/personal-chat-pieter/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: { id: '29:pieter' }, text: 'digest versturen', textFormat: 'plain' }),
    });
    expect(res.ok).toBe(true);
    const notice = 'Bericht voor Marieke van Dalen bewaard. Je ziet het als je start met: npm start -- --as marieke';
    await waitFor(first, notice, 60_000);
    expect(first.output().split('\n')).toContain(notice);
    // The bot's info lines stay out of the terminal at the default level.
    expect(first.output()).not.toContain('proactive.sent');
  } finally {
    first.child.kill('SIGINT');
    await ended(first, 20_000);
  }

  // Marieke starts: the start line says a message waited, and her chat gets it as soon as it is opened.
  const second = launch(await ports(), ['--as', 'marieke']);
  try {
    await waitFor(second, 'BO Wonen is running', 180_000);
    expect(startLine(second)).toMatch(/Je typt als Marieke van Dalen \(wethouder\)\. Er lag 1 bericht voor je klaar\. Je ziet het in je chat\.$/);
    const playground = /Open the chat at (http:\/\/localhost:\d+)/.exec(startLine(second))![1];
    // The browser's connection: the Playground hands it what arrived before it connected.
    const frames: string[] = [];
    const socket = new WebSocket(`${playground.replace('http', 'ws')}/_ws_conversation/v1/conversations/stream`);
    socket.on('message', (data) => frames.push(String(data)));
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    for (const deadline = Date.now() + 10_000; !frames.some((f) => f.includes('Je BO Wonen digest')) && Date.now() < deadline; ) {
      await new Promise((r) => setTimeout(r, 50));
    }
    socket.close();
    const digest = frames.find((f) => f.includes('Je BO Wonen digest'));
    expect(digest).toBeDefined();
    expect((JSON.parse(digest!) as { actionConversationId?: string }).actionConversationId).toBe('personal-chat-marieke');
  } finally {
    second.child.kill('SIGINT');
    await ended(second, 20_000);
  }
}, 600_000);
