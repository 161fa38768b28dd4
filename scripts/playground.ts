// Starts Microsoft 365 Agents Playground (the local Teams client) against the bot, telemetry off, offline.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { stopChild } from '../src/childProcess';
import { roleSchema } from '../src/features/members/model';
import type { MemberService } from '../src/features/members/service';

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

/**
 * Writes a copy of the Playground file in which another person is the one typing (the Playground always
 * sends as its current user). `who` is a user id like "29:joost" or a first name like "joost".
 */
export function configAs(who: string, outDir: string, file = PLAYGROUND_CONFIG): string {
  const raw = parse(readFileSync(file, 'utf8')) as PlaygroundFile;
  const wanted = who.toLowerCase();
  const index = raw.users.findIndex(
    (u) => u.id.toLowerCase() === wanted || u.id.toLowerCase() === `29:${wanted}` || String(u.givenName).toLowerCase() === wanted,
  );
  if (index < 0) {
    const names = raw.users.map((u) => String(u.givenName).toLowerCase()).join(', ');
    throw new PlaygroundError(`No Playground user "${who}" to type as: choose one of ${names}.`);
  }
  const current = raw.currentUser;
  raw.currentUser = raw.users[index]!;
  raw.users[index] = current;
  mkdirSync(outDir, { recursive: true });
  const out = path.join(outDir, 'playground.yml');
  writeFileSync(out, stringify(raw));
  return out;
}

/** Registers everyone in the Playground as a member with their role, so every role can be tried. */
export async function seedPlaygroundMembers(members: MemberService, file = PLAYGROUND_CONFIG): Promise<void> {
  const tenantId = readPlaygroundFile(file).tenantId.toLowerCase();
  await members.seed(
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
