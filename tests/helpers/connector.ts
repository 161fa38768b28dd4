// A fake Bot Connector on loopback: the real Bot Framework REST protocol, recording what the bot sends.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { TEAMS_MESSAGE_LIMIT_BYTES } from '../../src/cards/budget';

export interface Recorded {
  method: string;
  conversationId: string;
  activityId?: string;
  activity: Record<string, unknown>;
}

/** Decides the response to one request; return undefined for the normal 200. */
export type FaultPlan = (req: { method: string; conversationId: string }) => { status: number; headers?: Record<string, string>; body?: unknown } | undefined;

/** A person as Teams lists them in a conversation's or team's roster. */
export interface RosterEntry {
  id: string;
  name: string;
  aadObjectId?: string;
  tenantId?: string;
}

export class FakeConnector {
  readonly records: Recorded[] = [];
  /** Who is in each conversation or team (by id); the harness adds everyone who speaks there. */
  readonly rosters = new Map<string, RosterEntry[]>();
  /** Rosters Teams cannot give now (it answers 503 for them), as when Teams is slow or down. */
  readonly rostersFailing = new Set<string>();
  /** Teams may give a roster in pages smaller than asked; set this to hand out pages of this many. */
  rosterPageSize: number | undefined;
  /** Sign-in names (UPN) Teams gives when the bot asks about one person, by their Teams user id ("29:…"). */
  readonly userPrincipalNames = new Map<string, string>();
  serviceUrl = '';
  fault: FaultPlan | undefined;
  /** Messages refused as Teams refuses them: 413 MessageSizeTooBig above its limit (UTF-16 of the JSON). */
  readonly tooBig: Array<{ conversationId: string; bytes: number }> = [];
  private server?: http.Server;
  private counter = 0;
  private waiters: Array<() => void> = [];

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => this.handle(req, res, Buffer.concat(chunks).toString('utf8')));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.serviceUrl = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/`;
    return this;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse, body: string): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const m = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(url.pathname);
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(payload));
    };
    if (req.method === 'POST' && url.pathname === '/v3/conversations') {
      return send(200, { id: `conv-${++this.counter}` });
    }
    const members = /^\/v3\/conversations\/([^/]+)\/pagedmembers$/.exec(url.pathname);
    if (req.method === 'GET' && members) {
      const rosterId = decodeURIComponent(members[1]!);
      if (this.rostersFailing.has(rosterId)) return send(503, { error: { code: 'ServiceUnavailable', message: 'roster not available' } });
      const roster = this.rosters.get(rosterId);
      if (!roster) return send(404, { error: { code: 'ConversationNotFound', message: 'no roster' } });
      const start = Number(url.searchParams.get('continuationToken') ?? 0);
      const end = this.rosterPageSize ? start + this.rosterPageSize : roster.length;
      return send(200, { members: roster.slice(start, end), ...(end < roster.length ? { continuationToken: String(end) } : {}) });
    }
    const member = /^\/v3\/conversations\/([^/]+)\/members\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && member) {
      const id = decodeURIComponent(member[2]!);
      const upn = this.userPrincipalNames.get(id);
      return upn ? send(200, { id, userPrincipalName: upn }) : send(404, { error: { code: 'MemberNotFound', message: 'unknown member' } });
    }
    if (!m) return send(404, { error: { code: 'NotFound', message: url.pathname } });
    const conversationId = decodeURIComponent(m[1]!);
    const planned = this.fault?.({ method: req.method ?? '', conversationId });
    if (planned) return send(planned.status, planned.body ?? { error: { code: 'Fault' } }, planned.headers);
    if (body.length * 2 > TEAMS_MESSAGE_LIMIT_BYTES) {
      this.tooBig.push({ conversationId, bytes: body.length * 2 });
      return send(413, { error: { code: 'MessageSizeTooBig', message: 'Message size too big' } });
    }
    const activity = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    const activityId = m[2] ? decodeURIComponent(m[2]) : undefined;
    this.records.push({ method: req.method ?? '', conversationId, ...(activityId ? { activityId } : {}), activity });
    for (const wake of this.waiters.splice(0)) wake();
    send(200, { id: req.method === 'PUT' && activityId ? activityId : `act-${++this.counter}` });
  }

  /** Adds a person to the roster of a conversation or team (once). */
  addToRoster(rosterId: string, person: RosterEntry): void {
    const roster = this.rosters.get(rosterId) ?? [];
    if (!roster.some((p) => p.id === person.id)) roster.push(person);
    this.rosters.set(rosterId, roster);
  }

  /** Waits until at least `count` records exist (after the given index), or fails after a while. */
  async waitFor(count: number, from = 0, timeoutMs = 10_000): Promise<Recorded[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.records.length - from < count) {
      if (Date.now() > deadline) {
        throw new Error(`expected ${count} messages from the bot, got ${this.records.length - from}`);
      }
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
    return this.records.slice(from);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
