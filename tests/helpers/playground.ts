// The bot with the Agents Playground in front of it, spoken to through the Playground's own HTTP API, and what
// it streams: shared by the Playground walk-throughs.
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import type { Logger } from 'pino';
import WebSocket from 'ws';
import { readPlaygroundFile, seedPlaygroundMembers, startPlayground, type PlaygroundHandle } from '../../scripts/playground';
import { startApp, type RunningApp } from '../../src/app';
import { createLogger } from '../../src/log';
import { freePort } from '../../src/storage/azurite';
import { testConfig } from './harness';

/** One message the Playground streams over its WebSocket. */
export interface Frame {
  action: string;
  actionConversationId: string;
  message?: { messageId: string; text?: string; attachments?: Array<{ contentType: string; content: Record<string, unknown> }> };
}

/** All a person reads in a streamed message: its card, or its text. */
export const textOf = (f: Frame | undefined) => JSON.stringify(f?.message?.attachments?.[0]?.content ?? f?.message?.text ?? '');

/** A POST to the Playground's API; throws with its answer when it refuses. */
export async function playgroundPost(playground: PlaygroundHandle, pathname: string, body: unknown): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${playground.port}${pathname}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`Playground ${pathname} answered ${res.status}: ${await res.text()}`);
}

interface PlaygroundFile {
  tenantId: string;
  bot: { id: string; name: string };
}

/**
 * Someone other than the Playground's current user speaks or presses a button (the Playground itself types as
 * its current user only): a custom activity into the given conversation.
 */
export function asSomeone(
  playground: PlaygroundHandle,
  file: PlaygroundFile,
  user: { id: string; name: string; aadObjectId: string },
  conversation: { id: string; conversationType: 'personal' | 'groupChat' },
  fields: Record<string, unknown>,
): Promise<void> {
  return playgroundPost(playground, '/_internal/v1/customActivities', {
    type: 'message',
    id: `custom-${Date.now()}-${Math.random().toString(36).slice(2)}`,
    channelId: 'msteams',
    serviceUrl: `http://localhost:${playground.port}/_connector`,
    locale: 'nl-NL',
    from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
    recipient: { id: file.bot.id, name: file.bot.name },
    conversation: { ...conversation, ...(conversation.conversationType === 'groupChat' ? { isGroup: true } : {}), tenantId: file.tenantId },
    channelData: { tenant: { id: file.tenantId } },
    ...fields,
  });
}

/** The bot on the test Azurite with the Playground in front of it, as `npm start` runs them, and what it streams. */
export interface PlaygroundSession {
  app: RunningApp;
  playground: PlaygroundHandle;
  /** Every frame the Playground streamed so far, in order. */
  frames: Frame[];
  /** The bot's messages (new and updated) among the frames from index `from`. */
  botFrames(from: number): Frame[];
  /** Waits until `predicate` holds for the bot's messages from `from`; throws with what arrived when it does not. */
  waitFor(predicate: (fs: Frame[]) => boolean, from: number, what: string, timeoutMs?: number): Promise<Frame[]>;
  stop(): Promise<void>;
}

export interface PlaygroundSessionOptions {
  /** Settings on top of the test configuration (the Playground file's tenant, Dutch, no bootstrap admins). */
  env?: Record<string, string>;
  log?: Logger;
  /** After the Playground's members are seeded, before the Playground starts (e.g. the capabilities' demo data). */
  seed?(app: RunningApp): Promise<void>;
}

/** Every capability's demo data, as `npm start` seeds an empty store. */
export async function seedDemoData(app: RunningApp): Promise<void> {
  for (const b of app.built) await b.capability.seed?.(b.service, app.services, b.need);
}

export async function startPlaygroundSession(options: PlaygroundSessionOptions = {}): Promise<PlaygroundSession> {
  const file = readPlaygroundFile();
  const config = testConfig({ ALLOWED_TENANT_IDS: file.tenantId, FORCE_LOCALE: 'nl', BOOTSTRAP_ADMINS: '', ...options.env });
  const app = await startApp(config, { log: options.log ?? createLogger('silent') });
  const frames: Frame[] = [];
  let playground: PlaygroundHandle | undefined;
  let socket: WebSocket | undefined;
  const stop = async () => {
    socket?.close();
    await playground?.stop();
    await app.stop();
  };
  try {
    await seedPlaygroundMembers(app.services.members);
    await options.seed?.(app);
    playground = await startPlayground({
      botEndpoint: `http://127.0.0.1:${app.port}/api/messages`,
      port: await freePort(),
      workDir: mkdtempSync(path.join(os.tmpdir(), 'bo-wonen-playground-')),
    });
    const opened = new WebSocket(`ws://127.0.0.1:${playground.port}/_ws_conversation/v1/conversations/stream`);
    socket = opened;
    opened.on('message', (data) => frames.push(JSON.parse(String(data)) as Frame));
    await new Promise((resolve, reject) => {
      opened.once('open', resolve);
      opened.once('error', reject);
    });
  } catch (err) {
    await stop();
    throw err;
  }
  const botFrames = (from: number) => frames.slice(from).filter((f) => f.action === 'createMessage' || f.action === 'updateMessage');
  return {
    app,
    playground,
    frames,
    botFrames,
    async waitFor(predicate, from, what, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(botFrames(from))) {
        if (Date.now() > deadline) throw new Error(`no ${what} in the Playground: ${botFrames(from).map(textOf).join(' | ').slice(0, 500)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return botFrames(from);
    },
    stop,
  };
}
