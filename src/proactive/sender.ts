// Sends one proactive request to Teams: takes its place in the throttle, makes exactly one HTTP call, and
// says what Teams answered (sent, retry later, gone for good, failed). It never retries by itself: the
// outbox worker is the one place that retries, so every HTTP call is counted against the limits.
import { TurnContext, type Activity, type ConversationReference } from 'botbuilder';
import {
  AuthenticationConstants,
  ClaimsIdentity,
  type BotFrameworkAuthentication,
  type ConnectorClient,
  type ConnectorFactory,
} from 'botframework-connector';
import { errorFields, type Logger } from '../log';
import { localeOf, type Locale, type LocaleSettings } from '../i18n';
import { withinBudget } from '../cards/guard';
import type { ReferenceStore } from './references';
import type { Throttle } from './throttle';


/** What one attempt came to. */
export type Attempt =
  | { outcome: 'sent'; conversationId: string; activityId?: string }
  /** `beforeCall` said no (another worker holds the message): nothing was sent. */
  | { outcome: 'skipped' }
  /** `uncertain`: the call may have reached Teams (the answer was lost), so a retry may deliver it twice. */
  | { outcome: 'retry'; status?: number; retryAfterMs?: number; error: string; uncertain: boolean }
  | { outcome: 'gone'; status: number; error: string }
  | { outcome: 'failed'; status?: number; error: string };

const RETRY_STATUS = new Set([408, 412, 429, 500, 502, 503, 504]);
// Teams says these are final: the conversation is gone for the bot. Any other 403 (say, a bad token) is not.
const GONE_403_CODES = ['BotNotInConversationRoster', 'ConversationBlockedByUser', 'BotDisabledByAdmin'];
// Network trouble before Teams answered: worth another try.
const NETWORK_CODES = ['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'REQUEST_SEND_ERROR'];

/** Connector clients for proactive calls, one per service URL, with the SDK's own retries taken out. */
export class TeamsConnectors {
  private readonly factory: ConnectorFactory;
  private readonly clients = new Map<string, Promise<ConnectorClient>>();

  constructor(auth: BotFrameworkAuthentication, appId: string) {
    const identity = new ClaimsIdentity([
      { type: AuthenticationConstants.AudienceClaim, value: appId },
      { type: AuthenticationConstants.AppIdClaim, value: appId },
    ]);
    // Like continueConversationAsync: no audience, so the factory uses the cloud's own scope.
    this.factory = auth.createConnectorFactory(identity);
  }

  client(serviceUrl: string): Promise<ConnectorClient> {
    let client = this.clients.get(serviceUrl);
    if (!client) {
      client = this.factory.create(serviceUrl).then((c) => {
        // The connector client retries 429 and 5xx up to three times inside one call, unseen by the throttle.
        const pipeline = (c as unknown as { client?: { pipeline?: { removePolicy(o: { phase: string }): unknown } } }).client?.pipeline;
        if (!pipeline) throw new Error('botframework-connector changed: cannot turn off its retries');
        pipeline.removePolicy({ phase: 'Retry' });
        return c;
      });
      client.catch(() => this.clients.delete(serviceUrl));
      this.clients.set(serviceUrl, client);
    }
    return client;
  }
}

interface SenderOptions {
  appId: string;
  locale: LocaleSettings;
}

export class ProactiveSender {
  /** HTTP calls made to Teams (the bench and tests compare it with what the connector saw). */
  calls = 0;

  constructor(
    private readonly connectors: TeamsConnectors,
    private readonly references: ReferenceStore,
    private readonly throttle: Throttle,
    private readonly log: Logger,
    private readonly options: SenderOptions,
  ) {}

  /**
   * One send to a stored conversation: a place in the throttle, then one HTTP call. `beforeCall` runs after
   * the throttle and right before the call (the outbox takes its lease there); false skips the call.
   * A message above Teams' size budget goes out as a short sentence in `about.locale` (see cards/guard.ts).
   */
  async attempt(
    reference: Partial<ConversationReference>,
    activity: Partial<Activity>,
    beforeCall?: () => Promise<boolean>,
    about: { kind?: string; locale?: Locale } = {},
  ): Promise<Attempt> {
    const conversationId = reference.conversation?.id;
    const serviceUrl = reference.serviceUrl;
    if (!conversationId || !serviceUrl) return { outcome: 'failed', error: 'reference without conversation or service URL' };
    await this.throttle.acquire(conversationId);
    if (beforeCall && !(await beforeCall())) return { outcome: 'skipped' };
    try {
      const client = await this.connectors.client(serviceUrl);
      const locale = about.locale ?? localeOf(activity.locale, this.options.locale);
      const outgoing = withinBudget(TurnContext.applyConversationReference({ ...activity }, reference), locale, this.log, {
        kind: 'proactive',
        ...(about.kind ? { trigger: about.kind } : {}),
      });
      this.calls++;
      const response = await client.conversations.sendToConversation(conversationId, outgoing as Activity);
      // The conversation only, never the text (`npm start` uses it to say who got a notice).
      this.log.info({ event: 'proactive.sent', conversationId }, 'proactive message sent');
      return { outcome: 'sent', conversationId, ...(response?.id ? { activityId: response.id } : {}) };
    } catch (err) {
      return this.classify(err, conversationId);
    }
  }

  /**
   * Opens a 1:1 chat with someone who has the app but never wrote to the bot; one HTTP call, counted.
   * Returns the new conversation's reference (and saves it), or why it could not.
   */
  async createPersonalChat(
    tenantId: string,
    aadObjectId: string,
    serviceUrl: string,
  ): Promise<{ reference: Partial<ConversationReference> } | Exclude<Attempt, { outcome: 'sent' | 'skipped' }>> {
    // No conversation yet: the app budget is what it counts against (keyed by the person, not a chat).
    await this.throttle.acquire(`create|${tenantId}|${aadObjectId}`);
    try {
      const client = await this.connectors.client(serviceUrl);
      this.calls++;
      const created = await client.conversations.createConversation({
        isGroup: false,
        bot: { id: this.options.appId ? `28:${this.options.appId}` : 'bot', name: 'BO Wonen' },
        members: [{ id: aadObjectId, name: '' }],
        tenantId,
        channelData: { tenant: { id: tenantId } },
        activity: undefined as unknown as Activity,
      });
      const reference: Partial<ConversationReference> = {
        channelId: 'msteams',
        serviceUrl,
        bot: { id: this.options.appId ? `28:${this.options.appId}` : 'bot', name: 'BO Wonen' },
        user: { id: aadObjectId, name: '', aadObjectId } as ConversationReference['user'],
        conversation: { id: created.id, conversationType: 'personal', tenantId, isGroup: false, name: '' },
      };
      await this.references.save({
        reference,
        conversationType: 'personal',
        locale: '',
        tenantId,
        aadObjectId,
        updatedAt: new Date().toISOString(),
      });
      return { reference };
    } catch (err) {
      const result = this.classify(err, undefined);
      return result.outcome === 'sent' || result.outcome === 'skipped' ? { outcome: 'failed', error: 'unexpected' } : result;
    }
  }

  private classify(err: unknown, conversationId: string | undefined): Attempt {
    const status = statusOf(err);
    const error = `${status ?? ''} ${codeOf(err)}`.trim().slice(0, 200);
    if (status === 404 || (status === 403 && GONE_403_CODES.some((code) => errorText(err).includes(code)))) {
      return { outcome: 'gone', status, error };
    }
    const network = status === undefined && NETWORK_CODES.some((code) => errorText(err).includes(code));
    if ((status !== undefined && RETRY_STATUS.has(status)) || network) {
      const retryAfterMs = retryAfterOf(err);
      if (conversationId && status === 429) this.throttle.pause(conversationId, retryAfterMs ?? 1000);
      // A refused connection never carried the request; a reset or a gateway timeout may have, after Teams took it.
      const uncertain = status === 504 || (network && !errorText(err).includes('ECONNREFUSED'));
      return { outcome: 'retry', ...(status !== undefined ? { status } : {}), ...(retryAfterMs !== undefined ? { retryAfterMs } : {}), error, uncertain };
    }
    this.log.error({ event: 'proactive.failed', status, err: errorFields(err) }, 'proactive send failed');
    return { outcome: 'failed', ...(status !== undefined ? { status } : {}), error };
  }
}

/** Everything an error says about itself, to find Teams' error code in whichever field the SDK put it. */
function errorText(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown; body?: unknown; response?: { bodyAsText?: unknown; parsedBody?: unknown } };
  return [e?.code, e?.message, e?.body, e?.response?.bodyAsText, e?.response?.parsedBody]
    .map((part) => (typeof part === 'string' ? part : JSON.stringify(part ?? '')))
    .join(' ');
}

function codeOf(err: unknown): string {
  const text = errorText(err);
  const known = [...GONE_403_CODES, 'ConversationNotFound', ...NETWORK_CODES].find((code) => text.includes(code));
  return known ?? (err instanceof Error ? err.name : 'error');
}

function statusOf(err: unknown): number | undefined {
  const e = err as { statusCode?: number; status?: number; response?: { status?: number } };
  return e?.statusCode ?? e?.response?.status ?? e?.status;
}

/** Retry-After from Teams, in milliseconds (seconds or an HTTP date), capped at a minute. */
function retryAfterOf(err: unknown): number | undefined {
  const headers = (err as { response?: { headers?: { get?: (n: string) => string | undefined } | Record<string, string> } })
    ?.response?.headers;
  let value: string | undefined;
  if (headers && typeof (headers as { get?: unknown }).get === 'function') {
    value = (headers as { get: (n: string) => string | undefined }).get('retry-after');
  } else if (headers) {
    value = (headers as Record<string, string>)['retry-after'];
  }
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, 60_000);
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.min(Math.max(0, at - Date.now()), 60_000) : undefined;
}

/** The wait before the next attempt: Teams' Retry-After when given, then exponential backoff with full jitter. */
export function backoffMs(attempt: number, retryAfterMs: number | undefined, baseMs = 1000, random: () => number = Math.random): number {
  const jitter = random() * baseMs * 2 ** Math.max(0, attempt - 1);
  return Math.min((retryAfterMs ?? 0) + jitter, 5 * 60_000);
}
