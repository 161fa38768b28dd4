// Links that cannot be guessed: an HMAC-signed token with the session and an expiry, for calendar files and
// the attendee export. Anyone holding the link may use it until it expires, so links to personal data are short.
import { createHmac, timingSafeEqual } from 'node:crypto';

export type LinkKind = 'ics' | 'csv';

export type LinkCheck = { ok: true; kind: LinkKind; sessionId: string } | { ok: false; reason: 'invalid' | 'expired' };

const PAYLOAD = /^v1\.(ics|csv)\.(S-\d{3,6})\.(\d{1,12})$/;

export class LinkSigner {
  constructor(
    private readonly secret: string,
    private readonly baseUrl: string,
  ) {}

  private mac(payload: string): Buffer {
    return createHmac('sha256', this.secret).update(payload).digest();
  }

  token(kind: LinkKind, sessionId: string, expires: Date): string {
    const payload = `v1.${kind}.${sessionId}.${Math.floor(expires.getTime() / 1000)}`;
    return `${Buffer.from(payload).toString('base64url')}.${this.mac(payload).toString('base64url')}`;
  }

  url(kind: LinkKind, sessionId: string, expires: Date): string {
    const path = kind === 'ics' ? CALENDAR_PATH : EXPORT_PATH;
    return `${this.baseUrl.replace(/\/+$/, '')}${path.replace(':token', this.token(kind, sessionId, expires))}`;
  }

  /** A tampered token is "invalid" (answered 404, as if nothing were there); a genuine old one "expired" (410). */
  check(token: string, now: Date): LinkCheck {
    const [encoded, signature, ...rest] = token.split('.');
    if (!encoded || !signature || rest.length || token.length > 300) return { ok: false, reason: 'invalid' };
    const payload = Buffer.from(encoded, 'base64url').toString('utf8');
    const given = Buffer.from(signature, 'base64url');
    const expected = this.mac(payload);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'invalid' };
    const m = PAYLOAD.exec(payload);
    if (!m) return { ok: false, reason: 'invalid' };
    if (Number(m[3]) * 1000 < now.getTime()) return { ok: false, reason: 'expired' };
    return { ok: true, kind: m[1] as LinkKind, sessionId: m[2]! };
  }
}

export const CALENDAR_PATH = '/sessions/calendar/:token';
export const EXPORT_PATH = '/sessions/export/:token';
