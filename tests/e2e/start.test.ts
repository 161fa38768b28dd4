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

async function waitFor(run: { output: () => string }, text: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!run.output().includes(text) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
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

it('says who types, and names a person who gets a notice while someone else types', async () => {
  const file = readPlaygroundFile();
  // An empty ALLOWED_TENANT_IDS lets the launcher allow the Playground's own tenant, as on a fresh clone.
  const run = launch(
    { ALLOWED_TENANT_IDS: '', PORT: String(await freePort()), AZURITE_PORT: String(await freePort()), AZURITE_QUEUE_PORT: String(await freePort()), PLAYGROUND_PORT: String(await freePort()) },
    ['--as', 'pieter'],
  );
  try {
    await waitFor(run, 'BO Wonen is running');
    const startLine = run.output().split('\n').find((l) => l.startsWith('BO Wonen is running'))!;
    expect(startLine).toMatch(/ Je typt als Pieter de Graaf \(secretariaat\)\.$/);
    const playground = /Open the chat at (http:\/\/localhost:\d+)/.exec(startLine)![1];
    const post = async (pathname: string, body: unknown) => {
      const res = await fetch(`${playground}${pathname}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (!res.ok) throw new Error(`Playground ${pathname} answered ${res.status}`);
      return res;
    };

    // Marieke logs a dilemma in her own chat (the Playground opens the same one for her as the launcher did).
    const marieke = file.currentUser;
    const mariekeChat = ((await (await post('/_connector/v3/conversations', { isGroup: false, members: [{ id: marieke.id }] })).json()) as { id: string }).id;
    await post('/_internal/v1/customActivities', {
      type: 'message',
      id: 'start-test-1',
      channelId: 'msteams',
      serviceUrl: `${playground}/_connector`,
      from: { id: marieke.id, name: marieke.name, aadObjectId: marieke.aadObjectId },
      recipient: { id: file.bot.id, name: file.bot.name },
      conversation: { id: mariekeChat, conversationType: 'personal', tenantId: file.tenantId },
      channelData: { tenant: { id: file.tenantId } },
      value: {
        verb: 'dilemmaSave',
        submissionId: 'start-test-dilemma-1',
        title: 'Geen aansluiting op het net',
        description: 'De netbeheerder sluit pas in 2029 aan.',
        theme: 'netcongestie',
        municipalities: 'hilversum',
        relatedPlan: '',
        visibility: 'members',
        wantsAgenda: 'true',
      },
    });

    // Pieter, who types, finds it and places it on the agenda: Marieke hears it in her chat, which he does not see.
    // The Playground takes a custom activity before the bot has handled it: ask until the list shows it.
    const pieterChat = 'personal-chat-pieter';
    const shown: Array<{ json: string; messageId?: string }> = [];
    const socket = new WebSocket(`${playground.replace('http', 'ws')}/_ws_conversation/v1/conversations/stream`);
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { actionConversationId?: string; message?: { messageId?: string } };
      if (frame.actionConversationId === pieterChat) shown.push({ json: String(data), messageId: frame.message?.messageId });
    });
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    let id: string | undefined;
    let list: string | undefined;
    for (const deadline = Date.now() + 15_000; !id && Date.now() < deadline; ) {
      const before = shown.length;
      await post(`/_conversation/v1/conversations/${pieterChat}/messages`, { from: { id: '29:pieter' }, text: "dilemma's", textFormat: 'plain' });
      while (shown.length === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const reply = shown[before];
      id = reply && /D-\d{4}-\d{3}/.exec(reply.json)?.[0];
      list = reply?.messageId;
    }
    socket.close();
    expect(id).toBeDefined();
    await post('/_conversation/v1/submit', {
      conversation: { id: pieterChat },
      from: { id: '29:pieter' },
      replyToId: list,
      value: { verb: 'dilemmaStatus', id, status: 'geagendeerd', outcome: '' },
    });
    const notice = 'Bericht voor Marieke van Dalen verstuurd (je ziet het niet, want je typt nu als Pieter de Graaf).';
    await waitFor(run, notice);
    expect(run.output().split('\n')).toContain(notice);
    // The bot's info lines stay out of the terminal at the default level.
    expect(run.output()).not.toContain('proactive.sent');
  } finally {
    run.child.kill('SIGINT');
    await run.done;
  }
}, 150_000);
