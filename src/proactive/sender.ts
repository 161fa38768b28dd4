// Sends proactive messages: waits for the throttle, retries what Teams says to retry, and forgets
// conversations that Teams says are gone for good.
import type { Activity, CloudAdapter, ConversationReference } from 'botbuilder';
import { errorFields, type Logger } from '../log';
import { localeOf, type Locale, type LocaleSettings } from '../i18n';
import type { ReferenceStore, StoredReference } from './references';
import type { Throttle } from './throttle';

export type SendOutcome = 'sent' | 'noConversation' | 'gone' | 'failed';

const RETRY_STATUS = new Set([412, 429, 502, 503, 504]);
// 403 BotNotInConversationRoster / ConversationBlockedByUser / BotDisabledByAdmin and 404 ConversationNotFound.
const GONE_STATUS = new Set([403, 404]);

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
        return 'sent';
      } catch (err) {
        const status = statusOf(err);
        if (status !== undefined && GONE_STATUS.has(status)) {
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
