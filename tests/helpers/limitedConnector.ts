// A fake Bot Connector on loopback that behaves like Teams under load: it enforces the rate limits (per
// conversation 7/s, 8/2 s, 60/30 s; per app 50/s) with 429 + Retry-After, injects 429s, 5xx and 403/404 on
// request, creates 1:1 chats (POST /v3/conversations), and counts every HTTP call it gets.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { TEAMS_MESSAGE_LIMIT_BYTES } from '../../src/cards/budget';

export interface Delivered {
  conversationId: string;
  activityId: string;
  activity: Record<string, unknown>;
}

export interface Fault {
  status: number;
  code?: string;
  retryAfterSeconds?: number;
}

/** Decides a fault for one call; `attempt` counts the calls to that conversation so far (1 = the first). */
export type FaultPlan = (call: { conversationId: string; attempt: number; create: boolean; memberId?: string }) => Fault | undefined;

interface Window {
  ms: number;
  max: number;
}

const CONVERSATION_WINDOWS: Window[] = [
  { ms: 1_000, max: 7 },
  { ms: 2_000, max: 8 },
  { ms: 30_000, max: 60 },
];

export class LimitedConnector {
  serviceUrl = '';
  fault: FaultPlan | undefined;
  readonly delivered: Delivered[] = [];
  readonly created: Array<{ conversationId: string; memberId: string; tenantId: string }> = [];
  /** Every HTTP call, whatever its answer. */
  calls = 0;
  /** When each HTTP call arrived (ms), to measure the busiest sliding second. */
  readonly callTimes: number[] = [];
  injected = 0;
  /** Calls over a limit (answered 429 by the limiter, not by the plan): should stay 0 for a well-behaved bot. */
  overLimit = 0;
  /** Messages refused as Teams refuses them: 413 MessageSizeTooBig above its limit (UTF-16 of the JSON). */
  tooBig = 0;
  private readonly attempts = new Map<string, number>();
  private readonly stamps = new Map<string, number[]>();
  private readonly appStamps: number[] = [];
  private server?: http.Server;
  private counter = 0;
  private holding = false;
  private readonly held: http.ServerResponse[] = [];
  private onHold: (() => void) | undefined;
  private readonly waiters: Array<() => void> = [];

  constructor(private readonly appLimit = 50) {}

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, res, Buffer.concat(chunks).toString('utf8')));
    });
    this.server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.serviceUrl = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/`;
    return this;
  }

  /**
   * From that call on, answers nothing (as if the bot died mid-call); resolves at that call. With `accept`,
   * Teams has taken each held message (it is delivered) but its answer never reaches the bot.
   */
  holdFrom(callNumber: number, options: { accept?: boolean } = {}): Promise<void> {
    this.acceptHeld = options.accept ?? false;
    return new Promise((resolve) => {
      this.onHold = () => resolve();
      this.holdAt = callNumber;
    });
  }
  private holdAt = Infinity;
  private acceptHeld = false;

  /** Answers again; held calls are dropped unanswered (delivered only if held with `accept`). */
  release(): void {
    this.holding = false;
    this.holdAt = Infinity;
    this.acceptHeld = false;
    for (const res of this.held.splice(0)) res.destroy();
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse, body: string): void {
    this.calls++;
    this.callTimes.push(Date.now());
    const hold = this.holding || this.calls >= this.holdAt;
    if (hold && !this.holding) {
      this.holding = true;
      this.onHold?.();
    }
    if (hold && !this.acceptHeld) {
      this.held.push(res);
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(payload));
    };
    const now = Date.now();
    const parsed = body ? (JSON.parse(body) as Record<string, unknown>) : {};

    if (req.method === 'POST' && url.pathname === '/v3/conversations') {
      const members = (parsed.members as Array<{ id: string }> | undefined) ?? [];
      const memberId = members[0]?.id ?? '';
      const planned = this.fault?.({ conversationId: '', attempt: 1, create: true, memberId });
      if (planned) return this.answerFault(send, planned);
      if (!this.takeApp(now)) return this.limited(send);
      const conversationId = `a:created-${++this.counter}`;
      this.created.push({ conversationId, memberId, tenantId: String(parsed.tenantId ?? '') });
      return send(201, { id: conversationId });
    }

    const m = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(url.pathname);
    if (!m) return send(404, { error: { code: 'NotFound', message: url.pathname } });
    const conversationId = decodeURIComponent(m[1]!);
    const attempt = (this.attempts.get(conversationId) ?? 0) + 1;
    this.attempts.set(conversationId, attempt);
    const planned = this.fault?.({ conversationId, attempt, create: false });
    if (planned) return this.answerFault(send, planned);
    if (!this.takeApp(now) || !this.takeConversation(conversationId, now)) return this.limited(send);
    if (body.length * 2 > TEAMS_MESSAGE_LIMIT_BYTES) {
      this.tooBig++;
      return send(413, { error: { code: 'MessageSizeTooBig', message: 'Message size too big' } });
    }
    // Teams message ids in a chat are increasing numbers (they are timestamps).
    const activityId = String(now * 1000 + (++this.counter % 1000));
    this.delivered.push({ conversationId, activityId, activity: parsed });
    for (const wake of this.waiters.splice(0)) wake();
    if (hold) this.held.push(res);
    else if (this.beforeAnswer) {
      // Teams has the message; the bot's answer waits until the test has done what happens meanwhile.
      const meanwhile = this.beforeAnswer;
      this.beforeAnswer = undefined;
      void Promise.resolve(meanwhile(conversationId)).finally(() => send(200, { id: activityId }));
    } else send(200, { id: activityId });
  }

  /** Runs once, at the next delivered message, before Teams answers the bot (something that happens mid-call). */
  beforeAnswer: ((conversationId: string) => Promise<void> | void) | undefined;

  private answerFault(send: (s: number, p: unknown, h?: Record<string, string>) => void, fault: Fault): void {
    this.injected++;
    const headers: Record<string, string> = fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {};
    send(fault.status, { error: { code: fault.code ?? 'Fault', message: fault.code ?? 'injected' } }, headers);
  }

  private limited(send: (s: number, p: unknown, h?: Record<string, string>) => void): void {
    this.overLimit++;
    send(429, { error: { code: 'TooManyRequests', message: 'rate limit' } }, { 'retry-after': '1' });
  }

  private takeApp(now: number): boolean {
    while (this.appStamps.length && this.appStamps[0]! <= now - 1000) this.appStamps.shift();
    if (this.appStamps.length >= this.appLimit) return false;
    this.appStamps.push(now);
    return true;
  }

  private takeConversation(conversationId: string, now: number): boolean {
    const stamps = (this.stamps.get(conversationId) ?? []).filter((s) => s > now - 30_000);
    for (const w of CONVERSATION_WINDOWS) if (stamps.filter((s) => s > now - w.ms).length >= w.max) return false;
    stamps.push(now);
    this.stamps.set(conversationId, stamps);
    return true;
  }

  /** The most calls in any sliding second (a window starting at a call is the busiest). */
  maxCallsInAnySecond(): number {
    let best = 0;
    let end = 0;
    const t = this.callTimes;
    for (let start = 0; start < t.length; start++) {
      while (end < t.length && t[end]! < t[start]! + 1000) end++;
      best = Math.max(best, end - start);
    }
    return best;
  }

  /** How many messages each conversation got. */
  perConversation(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const d of this.delivered) counts.set(d.conversationId, (counts.get(d.conversationId) ?? 0) + 1);
    return counts;
  }

  async waitForDelivered(count: number, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.delivered.length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} delivered messages, got ${this.delivered.length}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }

  async stop(): Promise<void> {
    this.release();
    await new Promise<void>((resolve) => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve()) ?? resolve();
    });
  }
}
