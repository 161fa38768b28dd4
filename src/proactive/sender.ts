// Sends proactive messages: waits for the throttle, retries what Teams says to retry, and forgets
// conversations that Teams says are gone for good.
import type { Activity, CloudAdapter, ConversationReference } from 'botbuilder';
import { errorFields, type Logger } from '../log';
import { localeOf, type Locale, type LocaleSettings } from '../i18n';
import type { ReferenceStore, StoredReference } from './references';
import type { Throttle } from './throttle';

export type SendOutcome = 'sent' | 'noConversation' | 'gone' | 'failed';

const RETRY_STATUS = new Set([412, 429, 502, 503, 504]);
// Teams says these are final: the conversation is gone for the bot. Any other 403 (say, a bad token) is not.
const GONE_403_CODES = ['BotNotInConversationRoster', 'ConversationBlockedByUser', 'BotDisabledByAdmin'];

export interface SenderOptions {
  appId: string;
  locale: LocaleSettings;
  maxAttempts?: number;
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export class ProactiveSender {
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly pending = new Set<Promise<unknown>>();

  constructor(
    private readonly adapter: CloudAdapter,
    private readonly references: ReferenceStore,
    private readonly throttle: Throttle,
    private readonly log: Logger,
    private readonly options: SenderOptions,
  ) {
    this.maxAttempts = options.maxAttempts ?? 5;
    this.baseDelayMs = options.baseDelayMs ?? 500;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /**
   * Runs a send after the turn, so a slow or throttled Teams never keeps the person who acted waiting.
   * Failures are logged; drain() waits for everything still under way (shutdown, tests).
   */
  background(work: () => Promise<unknown>): void {
    const running: Promise<unknown> = work()
      .catch((err: unknown) => this.log.error({ event: 'proactive.backgroundFailed', err: errorFields(err) }, 'background send failed'))
      .finally(() => this.pending.delete(running));
    this.pending.add(running);
  }

  async drain(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  /** Sends to a person's personal chat, built in the locale that person uses in Teams. */
  async sendToPerson(
    tenantId: string,
    aadObjectId: string,
    build: (locale: Locale) => Partial<Activity>,
  ): Promise<SendOutcome> {
    const stored = await this.references.personalChat(tenantId, aadObjectId);
    if (!stored) {
      this.log.info({ event: 'proactive.noConversation' }, 'person has no personal chat with the bot yet');
      return 'noConversation';
    }
    return this.send(stored, build(localeOf(stored.locale, this.options.locale)));
  }

  async send(stored: StoredReference, activity: Partial<Activity>): Promise<SendOutcome> {
    const reference = stored.reference as ConversationReference;
    const conversationId = reference.conversation.id;
    for (let attempt = 1; ; attempt++) {
      await this.throttle.acquire(conversationId);
      try {
        await this.adapter.continueConversationAsync(this.options.appId, reference, async (context) => {
          await context.sendActivity(activity);
        });
        this.log.info({ event: 'proactive.sent', conversationId }, 'proactive message sent');
        return 'sent';
      } catch (err) {
        const status = statusOf(err);
        if (status === 404 || (status === 403 && GONE_403_CODES.some((code) => errorText(err).includes(code)))) {
          this.log.warn({ event: 'proactive.gone', status }, 'conversation is gone; reference removed');
          await this.references.remove(conversationId);
          return 'gone';
        }
        if (status === undefined || !RETRY_STATUS.has(status) || attempt >= this.maxAttempts) {
          this.log.error({ event: 'proactive.failed', status, attempt, err: errorFields(err) }, 'proactive send failed');
          return 'failed';
        }
        await this.sleep(retryDelay(err, attempt, this.baseDelayMs));
      }
    }
  }
}

/** Everything an error says about itself, to find Teams' error code in whichever field the SDK put it. */
function errorText(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown; body?: unknown; response?: { bodyAsText?: unknown; parsedBody?: unknown } };
  return [e?.code, e?.message, e?.body, e?.response?.bodyAsText, e?.response?.parsedBody]
    .map((part) => (typeof part === 'string' ? part : JSON.stringify(part ?? '')))
    .join(' ');
}

function statusOf(err: unknown): number | undefined {
  const e = err as { statusCode?: number; status?: number; response?: { status?: number } };
  return e?.statusCode ?? e?.response?.status ?? e?.status;
}

/** Retry-After when Teams gives one, else exponential backoff with full jitter. */
export function retryDelay(err: unknown, attempt: number, baseMs: number): number {
  const headers = (err as { response?: { headers?: { get?: (n: string) => string | undefined } | Record<string, string> } })
    ?.response?.headers;
  let retryAfter: string | undefined;
  if (headers && typeof (headers as { get?: unknown }).get === 'function') {
    retryAfter = (headers as { get: (n: string) => string | undefined }).get('retry-after');
  } else if (headers) {
    retryAfter = (headers as Record<string, string>)['retry-after'];
  }
  const seconds = retryAfter ? Number(retryAfter) : NaN;
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, 60_000);
  return Math.random() * baseMs * 2 ** (attempt - 1);
}
