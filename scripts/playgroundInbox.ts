// What the bot sends on its own to a Playground person who is not typing (a notice, the digest) is kept on disk
// here, and put in that person's chat when `npm start -- --as <name>` starts as them: the browser shows the chats
// of one person only, and the Playground forgets everything when it stops.
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface Inbox {
  /** The address the bot sends to for people who are not typing (a Bot Connector, as far as it knows). */
  url: string;
  stop(): Promise<void>;
}

interface Kept {
  id: string;
  activity: Record<string, unknown>;
}

const fileOf = (dir: string, conversationId: string) => path.join(dir, `${encodeURIComponent(conversationId)}.jsonl`);

function readKept(dir: string, conversationId: string): Kept[] {
  const file = fileOf(dir, conversationId);
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Kept);
}

function readBody(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      try {
        resolve((JSON.parse(body || '{}') as Record<string, unknown>) ?? {});
      } catch {
        resolve({});
      }
    });
  });
}

/**
 * A loopback Bot Connector that keeps each message (and its later updates) in `dir`, one file per chat.
 * It answers every other call of the connector protocol with an empty success, as a chat that only listens.
 */
export async function startInbox(dir: string): Promise<Inbox> {
  mkdirSync(dir, { recursive: true });
  let counter = 0;
  const server = http.createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/.exec(req.url ?? '');
      const reply = (value: unknown) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (!match) return reply({});
      const conversationId = decodeURIComponent(match[1]!);
      const activityId = match[2] && decodeURIComponent(match[2]);
      if (req.method === 'PUT' && activityId) {
        // A card updated in place: keep only its newest version.
        const kept = readKept(dir, conversationId).map((k) => (k.id === activityId ? { id: k.id, activity: body } : k));
        writeFileSync(fileOf(dir, conversationId), kept.map((k) => JSON.stringify(k)).join('\n') + '\n');
        return reply({ id: activityId });
      }
      if (req.method === 'DELETE' && activityId) {
        const kept = readKept(dir, conversationId).filter((k) => k.id !== activityId);
        writeFileSync(fileOf(dir, conversationId), kept.map((k) => JSON.stringify(k)).join('\n') + '\n');
        return reply({});
      }
      if (req.method !== 'POST') return reply({});
      const id = `kept-${Date.now()}-${++counter}`;
      appendFileSync(fileOf(dir, conversationId), JSON.stringify({ id, activity: body }) + '\n');
      return reply({ id });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Puts what was kept for this chat into it, oldest first, through the Playground's own connector, and forgets
 * it. The Playground holds messages until the browser connects, so they show when the chat is opened.
 * Returns how many messages it delivered.
 */
export async function deliverKept(dir: string, conversationId: string, playgroundPort: number): Promise<number> {
  const kept = readKept(dir, conversationId);
  let delivered = 0;
  for (const { activity } of kept) {
    const res = await fetch(
      `http://127.0.0.1:${playgroundPort}/_connector/v3/conversations/${encodeURIComponent(conversationId)}/activities`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...activity, id: undefined, conversation: { ...(activity.conversation as object), id: conversationId } }),
      },
    );
    if (!res.ok) break;
    delivered++;
  }
  // What could not be delivered stays for the next start.
  const rest = kept.slice(delivered);
  if (rest.length) writeFileSync(fileOf(dir, conversationId), rest.map((k) => JSON.stringify(k)).join('\n') + '\n');
  else rmSync(fileOf(dir, conversationId), { force: true });
  return delivered;
}
