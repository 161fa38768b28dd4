// Links that cannot be guessed: HMAC-signed, expiring tokens for files the bot serves (data exports,
// calendar files, CSV lists). The token names what it opens; the server checks signature, purpose and time.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

type LinkCheck = { ok: true; data: Record<string, string> } | { ok: false; reason: 'invalid' | 'expired' };

export class Links {
  private readonly secret: Buffer;
  /** Where people reach the bot (set once the server listens, when the port was chosen then). */
  baseUrl: string;

  constructor(secret: string, baseUrl: string, private readonly now: () => number = () => Date.now()) {
    this.secret = secret ? Buffer.from(secret, 'utf8') : randomBytes(32);
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  /** A full URL for `path` carrying `data` for `ttlMs`; `purpose` keeps a token for one route only. */
  url(path: string, purpose: string, data: Record<string, string>, ttlMs: number): string {
    return `${this.baseUrl}${path}?t=${this.token(purpose, data, ttlMs)}`;
  }

  token(purpose: string, data: Record<string, string>, ttlMs: number): string {
    const payload = Buffer.from(JSON.stringify({ p: purpose, d: data, e: this.now() + ttlMs })).toString('base64url');
    return `${payload}.${this.sign(payload)}`;
  }

  check(token: unknown, purpose: string): LinkCheck {
    if (typeof token !== 'string' || token.length > 4000) return { ok: false, reason: 'invalid' };
    const [payload = '', signature = ''] = token.split('.');
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'invalid' };
    try {
      const body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { p?: unknown; d?: unknown; e?: unknown };
      if (body.p !== purpose || typeof body.e !== 'number' || typeof body.d !== 'object' || body.d === null) return { ok: false, reason: 'invalid' };
      if (body.e < this.now()) return { ok: false, reason: 'expired' };
      return { ok: true, data: body.d as Record<string, string> };
    } catch {
      return { ok: false, reason: 'invalid' };
    }
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url');
  }
}

/** The token of a request to a signed link (restify does not parse the query string here). */
export function tokenOf(url: string | undefined): string | undefined {
  return new URL(url ?? '/', 'http://localhost').searchParams.get('t') ?? undefined;
}
