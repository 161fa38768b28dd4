// What every route needs from a Teams turn (a lower layer: it knows nothing of the capabilities): who is acting, in which language, and how to answer with a card.
import { ActivityTypes, CardFactory, INVOKE_RESPONSE_KEY, MessageFactory, type TurnContext, type Activity } from 'botbuilder';
import { z } from 'zod';
import { ZodError } from 'zod';
import { localeOf, t, type Locale, type LocaleSettings } from './i18n';
import { NotFound, Refusal } from './errors';
import { summaryOf, type AdaptiveCard } from './cards/adaptive';
import { personSchema, type Person } from './identity';

const channelDataSchema = z
  .object({ tenant: z.object({ id: z.string().min(1).max(64) }).optional() })
  .passthrough()
  .optional();

/** The Entra tenant of the activity, lower-cased; undefined when Teams did not say. */
export function tenantOf(activity: Partial<Activity>): string | undefined {
  const parsed = channelDataSchema.safeParse(activity.channelData);
  const id = (parsed.success ? parsed.data?.tenant?.id : undefined) ?? activity.conversation?.tenantId;
  return id ? id.toLowerCase() : undefined;
}

/** The person behind the activity, or undefined when Teams did not give an Entra object id. */
export function personOf(context: TurnContext): Person | undefined {
  const parsed = personSchema.safeParse({
    tenantId: tenantOf(context.activity) ?? '',
    aadObjectId: context.activity.from?.aadObjectId ?? '',
    name: context.activity.from?.name ?? '',
  });
  return parsed.success ? parsed.data : undefined;
}

/** A group chat or channel: what the bot shows there, everyone there sees. */
export function isShared(context: TurnContext): boolean {
  return (context.activity.conversation?.conversationType ?? 'personal') !== 'personal';
}

export function localeFor(context: TurnContext, settings: LocaleSettings): Locale {
  return localeOf(context.activity.locale, settings);
}

export function cardActivity(card: AdaptiveCard, summary = summaryOf(card)): Partial<Activity> {
  const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
  // Teams shows this in notifications instead of "Sent a card".
  activity.summary = summary;
  return activity;
}

export async function sendCard(context: TurnContext, card: AdaptiveCard): Promise<void> {
  await context.sendActivity(cardActivity(card));
}

/**
 * Replaces the card a button was pressed on (so no stale buttons stay behind), or sends a new one
 * when there is nothing to replace or the channel does not allow it.
 */
export async function replaceCard(context: TurnContext, card: AdaptiveCard): Promise<void> {
  const replyToId = context.activity.replyToId;
  if (replyToId) {
    try {
      await context.updateActivity({ ...cardActivity(card), id: replyToId });
      return;
    } catch {
      // Fall through: a fresh message is better than none.
    }
  }
  await sendCard(context, card);
}

/** The sentence for an error a person caused (bad input, not allowed, gone); undefined for real failures. */
export function knownErrorMessage(err: unknown, locale: Locale): string | undefined {
  if (err instanceof ZodError) return t(locale, 'error.invalidInput');
  if (err instanceof Refusal) return err.sentence(locale);
  if (err instanceof NotFound) return t(locale, 'error.notFound');
  return undefined;
}

/**
 * Answers a person: a message for a message, and for an invoke (Action.Execute) the invoke response Teams
 * waits for, so it shows the sentence instead of its own "something went wrong".
 */
export async function answer(context: TurnContext, text: string): Promise<void> {
  if (context.activity.type === 'invoke') {
    if (context.turnState.get(INVOKE_RESPONSE_KEY)) return;
    await context.sendActivity({
      type: ActivityTypes.InvokeResponse,
      value: { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text } },
    });
    return;
  }
  if (context.activity.type === 'message') await context.sendActivity(text);
}

/** Answers an Action.Execute for the person who pressed only: with a card that replaces theirs, or a sentence. */
export async function answerExecute(context: TurnContext, result: AdaptiveCard | string): Promise<void> {
  const body =
    typeof result === 'string'
      ? { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: result }
      : { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: result };
  await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body } });
}
