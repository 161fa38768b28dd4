// `npm start`'s launcher as a newcomer meets it: one clear sentence and exit code 1 when it cannot start,
// and a clean stop of every child process on Ctrl-C.
import { spawn } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { freePort } from '../../src/storage/azurite';

const root = path.resolve(__dirname, '../..');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

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
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<Run>((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
  return { child, done, output: () => stdout };
}

async function occupy(port: number): Promise<net.Server> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

it('says in one sentence that the bot port is taken, and exits with 1', async () => {
  const port = await freePort();
  const blocker = await occupy(port);
  try {
    const run = await launch({ PORT: String(port), AZURITE_PORT: String(await freePort()) }).done;
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
    const run = await launch({ AZURITE_PORT: String(port) }).done;
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(`Port ${port} is already in use: stop the other program or set AZURITE_PORT.`);
  } finally {
    blocker.close();
  }
});

it('names the bad setting when the configuration is wrong', async () => {
  const run = await launch({ ALLOWED_TENANT_IDS: 'contoso', AZURITE_PORT: String(await freePort()) }).done;
  expect(run.code).toBe(1);
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  expect(run.stderr).toMatch(/^Bad configuration: ALLOWED_TENANT_IDS/);
});

it('names the Playground people to choose from when --as names nobody', async () => {
  const run = await launch({ AZURITE_PORT: String(await freePort()), PORT: String(await freePort()) }, ['--as', 'niemand']).done;
  expect(run.code).toBe(1);
  expect(run.stderr.trim()).toBe('No Playground user "niemand" to type as: choose one of joost, fatima, pieter, linda, ruud.');
});

it('starts on embedded Azurite, answers /healthz, and stops everything on Ctrl-C', async () => {
  const port = await freePort();
  const azuritePort = await freePort();
  const run = launch({ PORT: String(port), AZURITE_PORT: String(azuritePort) });
  const deadline = Date.now() + 30_000;
  while (!run.output().includes('BO Wonen is running') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
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
});
