// Starts Microsoft 365 Agents Playground (the local Teams client) against the bot, telemetry off, offline.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ConversationAccount } from 'botbuilder';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { stopChild } from '../src/childProcess';
import { roleSchema } from '../src/features/members/model';
import type { MemberService } from '../src/features/members/service';
import type { ReferenceStore } from '../src/proactive/references';
import type { Inbox } from './playgroundInbox';

export class PlaygroundError extends Error {}

export const PLAYGROUND_CONFIG = path.resolve(__dirname, '../.m365agentsplayground.yml');
export const PLAYGROUND_MEMBERS = path.resolve(__dirname, 'playground-members.json');

const userSchema = z.object({ id: z.string(), name: z.string(), aadObjectId: z.string() }).passthrough();
const playgroundFileSchema = z
  .object({
    tenantId: z.string(),
    bot: z.object({ id: z.string(), name: z.string() }),
    currentUser: userSchema,
    users: z.array(userSchema).length(5),
    personalChat: z.object({ id: z.string() }),
    groupChat: z.object({ id: z.string() }),
    team: z.object({ id: z.string(), channels: z.array(z.object({ id: z.string() })).default([]) }).passthrough(),
  })
  .passthrough();
export type PlaygroundFile = z.infer<typeof playgroundFileSchema>;
export type PlaygroundUser = z.infer<typeof userSchema>;

const membersFileSchema = z.object({
  members: z.record(z.object({ role: z.string(), organisationId: z.string() })),
});

export function readPlaygroundFile(file = PLAYGROUND_CONFIG): PlaygroundFile {
  try {
    return playgroundFileSchema.parse(parse(readFileSync(file, 'utf8')));
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new PlaygroundError(`${path.basename(file)} cannot be read as a Playground file (${reason}).`);
  }
}

/** Everyone in the Playground with their BO Wonen role, for seeding the member registry. */
export function playgroundMembers(file = PLAYGROUND_CONFIG): Array<PlaygroundUser & { role: string; organisationId: string }> {
  const config = readPlaygroundFile(file);
  const roles = membersFileSchema.parse(JSON.parse(readFileSync(PLAYGROUND_MEMBERS, 'utf8'))).members;
  return [config.currentUser, ...config.users].map((user) => {
    const role = roles[user.aadObjectId];
    if (!role) throw new PlaygroundError(`${user.name} in .m365agentsplayground.yml has no role in scripts/playground-members.json.`);
    return { ...user, ...role };
  });
}

/** The personal chat of the person typing: one per person, so two people's chats never share an id. */
export function personalChatIdOf(user: { id: string }): string {
  return `personal-chat-${user.id.replace(/^29:/, '').toLowerCase()}`;
}

/**
 * Writes a copy of the Playground file in which `who` is the one typing (the Playground always sends as its
 * current user), with that person's own personal chat. `who` is a user id like "29:joost" or a first name.
 */
export function configAs(who: string, outDir: string, file = PLAYGROUND_CONFIG): string {
  const raw = parse(readFileSync(file, 'utf8')) as PlaygroundFile;
  const wanted = who.toLowerCase();
  const matches = (u: PlaygroundUser) =>
    u.id.toLowerCase() === wanted || u.id.toLowerCase() === `29:${wanted}` || String(u.givenName).toLowerCase() === wanted;
  if (!matches(raw.currentUser)) {
    const index = raw.users.findIndex(matches);
    if (index < 0) {
      const names = [raw.currentUser, ...raw.users].map((u) => String(u.givenName).toLowerCase()).join(', ');
      throw new PlaygroundError(`No Playground user "${who}" to type as: choose one of ${names}.`);
    }
    const current = raw.currentUser;
    raw.currentUser = raw.users[index]!;
    raw.users[index] = current;
  }
  raw.personalChat = { ...raw.personalChat, id: personalChatIdOf(raw.currentUser) };
  mkdirSync(outDir, { recursive: true });
  const out = path.join(outDir, 'playground.yml');
  writeFileSync(out, stringify(raw));
  return out;
}

export interface PlaygroundPerson {
  name: string;
  role: string;
  aadObjectId: string;
  /** The personal chat where the bot reaches this person in the running Playground. */
  conversationId: string;
  /** The Playground's current user: the one whose chats the browser shows. */
  typing: boolean;
  /** What to put after `npm start -- --as` to type as this person. */
  startAs: string;
}

/**
 * Gives every Playground person a personal chat with the bot and stores it as the place to reach them.
 * The one typing has the chat of the Playground file. For the others, with an `inbox`, their own chat id
 * (the one they get when they start with `--as`) at the inbox, which keeps what they are sent for that start;
 * without one, the Playground opens a chat the way Teams does when a bot starts a 1:1 chat (POST
 * v3/conversations): it takes their messages but does not show them. Doing this at every start replaces what
 * an earlier start stored (another port, someone else typing), so a notice for one person never lands in the
 * chat of whoever types now.
 */
export async function registerPlaygroundChats(
  references: ReferenceStore,
  playgroundPort: number,
  file = PLAYGROUND_CONFIG,
  inbox?: Inbox,
): Promise<PlaygroundPerson[]> {
  const config = readPlaygroundFile(file);
  const tenantId = config.tenantId.toLowerCase();
  // The address the Playground itself gives the bot in every activity.
  const serviceUrl = `http://localhost:${playgroundPort}/_connector`;
  const users = playgroundMembers(file);
  const people: PlaygroundPerson[] = [];
  for (const user of users) {
    const typing = user.id === config.currentUser.id;
    const conversationId = typing
      ? config.personalChat.id
      : inbox
        ? personalChatIdOf(user)
        : await openPersonalChat(serviceUrl, config, user.id);
    const startAs = user.id.replace(/^29:/, '').toLowerCase();
    people.push({ name: user.name, role: user.role, aadObjectId: user.aadObjectId.toLowerCase(), conversationId, typing, startAs });
  }
  // Forget every chat an earlier start stored for these people first: one chat id may have served several
  // of them, and removing it takes the person it was saved for along.
  for (const person of people) {
    const earlier = (await references.personalChat(tenantId, person.aadObjectId))?.reference.conversation?.id;
    if (earlier && earlier !== person.conversationId) await references.remove(earlier);
  }
  for (const [i, person] of people.entries()) {
    const user = users[i]!;
    await references.save({
      reference: {
        user: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
        bot: { id: config.bot.id, name: config.bot.name },
        // The fields the Playground's own activities carry (a personal chat has no name).
        conversation: { id: person.conversationId, conversationType: 'personal', tenantId: config.tenantId } as ConversationAccount,
        channelId: 'msteams',
        // What the Playground says in its own activities; FORCE_LOCALE decides the language anyway.
        locale: 'en-US',
        serviceUrl: person.typing || !inbox ? serviceUrl : inbox.url,
      },
      conversationType: 'personal',
      locale: 'en-US',
      tenantId,
      aadObjectId: person.aadObjectId,
      updatedAt: new Date().toISOString(),
    });
  }
  return people;
}

async function openPersonalChat(serviceUrl: string, config: PlaygroundFile, userId: string): Promise<string> {
  const res = await fetch(`${serviceUrl}/v3/conversations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      isGroup: false,
      bot: { id: config.bot.id, name: config.bot.name },
      members: [{ id: userId }],
      tenantId: config.tenantId,
      channelData: { tenant: { id: config.tenantId } },
    }),
  });
  const body = (await res.json().catch(() => ({}))) as { id?: unknown };
  if (!res.ok || typeof body.id !== 'string') {
    throw new PlaygroundError(`The Agents Playground did not open a personal chat for ${userId} (HTTP ${res.status}).`);
  }
  return body.id;
}

/** Who types, for the start line: "Je typt als Pieter de Graaf (secretariaat)." */
export function typingLine(people: PlaygroundPerson[]): string {
  const typing = people.find((p) => p.typing);
  return typing ? `Je typt als ${typing.name} (${typing.role}).` : '';
}

/**
 * The terminal line for a message the bot sent on its own to someone who is not typing, so a tester knows it
 * went out and where to see it. Undefined for the one typing and for chats with several people.
 */
export function noticeLine(conversationId: string, people: PlaygroundPerson[]): string | undefined {
  const to = people.find((p) => p.conversationId === conversationId);
  const typing = people.find((p) => p.typing);
  if (!to || to.typing || !typing) return undefined;
  return `Bericht voor ${to.name} bewaard. Je ziet het als je start met: npm start -- --as ${to.startAs}`;
}

/** The terminal line after messages kept for the one typing were put in their chat. */
export function keptLine(count: number): string {
  if (count === 0) return '';
  return count === 1
    ? 'Er lag 1 bericht voor je klaar. Je ziet het in je chat.'
    : `Er lagen ${count} berichten voor je klaar. Je ziet ze in je chat.`;
}

/**
 * Registers everyone in the Playground as a member with their role, so every role can be tried: into an empty
 * registry only, so removing, erasing and role changes last across restarts. Returns whether it wrote them.
 */
export async function seedPlaygroundMembers(members: MemberService, file = PLAYGROUND_CONFIG): Promise<boolean> {
  const tenantId = readPlaygroundFile(file).tenantId.toLowerCase();
  return members.seedIfEmpty(
    playgroundMembers(file).map((person) => ({
      tenantId,
      aadObjectId: person.aadObjectId.toLowerCase(),
      name: person.name,
      organisationId: person.organisationId,
      role: roleSchema.parse(person.role),
    })),
  );
}

export interface PlaygroundHandle {
  port: number;
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface PlaygroundOptions {
  botEndpoint: string;
  port: number;
  configFile?: string;
  /** Folder for the Playground's log file (it would otherwise write into the working directory). */
  workDir: string;
}

export async function startPlayground(options: PlaygroundOptions): Promise<PlaygroundHandle> {
  mkdirSync(options.workDir, { recursive: true });
  const logFile = path.join(options.workDir, 'm365agentsplayground.log');
  let cli: string;
  try {
    cli = require.resolve('@microsoft/m365agentsplayground/cli.js');
  } catch {
    throw new PlaygroundError('The Agents Playground is not installed: run "npm install" first.');
  }
  const child = spawn(
    process.execPath,
    [cli, '--disable-telemetry', '-p', String(options.port), '-e', options.botEndpoint],
    {
      cwd: options.workDir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
        TEAMSAPPTESTER_BROWSER: 'none',
        BOT_ENDPOINT: options.botEndpoint,
        M365_AGENTS_PLAYGROUND_CONFIG_PATH: options.configFile ?? PLAYGROUND_CONFIG,
        M365_AGENTS_PLAYGROUND_LOGFILE: logFile,
        TZ: 'Europe/Amsterdam',
      },
    },
  );

  const port = await new Promise<number>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new PlaygroundError('The Agents Playground did not start within 30 seconds.')), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const m = /Listening on (\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new PlaygroundError(`The Agents Playground stopped at start (exit ${code}); see ${logFile}.`));
    });
  });

  // It prints its port before it has read the config; a bad config exits just after. Ping until it answers.
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new PlaygroundError(`The Agents Playground stopped at start; see ${logFile}.`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/_debug/ping`);
      if (res.ok && (await res.text()).includes('pong')) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new PlaygroundError('The Agents Playground did not answer within 15 seconds.');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await new Promise((resolve) => setTimeout(resolve, 150));
  if (child.exitCode !== null) throw new PlaygroundError(`The Agents Playground stopped at start; see ${logFile}.`);

  return {
    port,
    url: `http://localhost:${port}`,
    process: child,
    stop: () => stopChild(child),
  };
}
