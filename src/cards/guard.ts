// The core's last guard on message size: every outgoing activity (a reply, an update, an invoke response, a
// proactive message) is measured as Teams measures it. Cards are designed to fit; should one still pass the
// budget, a short sentence goes instead of a message Teams would refuse (413), and the log says which and how big.
import type { Activity, TurnContext } from 'botbuilder';
import { t, type Locale } from '../i18n';
import type { Logger } from '../log';
import { MESSAGE_BUDGET_BYTES, utf16Bytes } from './budget';

type Outgoing = 'reply' | 'update' | 'invokeResponse' | 'proactive';

/** What the log may say about an oversized message: never its content. */
interface About {
  kind: Outgoing;
  /** What caused it: a card verb, an invoke name, an outbox kind (names, not text). */
  trigger?: string;
}

interface InvokeBody {
  composeExtension?: unknown;
  [key: string]: unknown;
}

/** The activity itself when it fits the budget; otherwise the sentence that takes its place (a new object). */
export function withinBudget<A extends Partial<Activity>>(activity: A, locale: Locale, log: Logger, about: About): A {
  const bytes = utf16Bytes(activity);
  if (bytes <= MESSAGE_BUDGET_BYTES) return activity;
  const contentTypes = (activity.attachments ?? []).map((a) => a.contentType);
  const body = (activity.value as { body?: InvokeBody } | undefined)?.body;
  log.warn(
    {
      event: 'message.tooBig',
      kind: about.kind,
      trigger: about.trigger,
      bytes,
      budget: MESSAGE_BUDGET_BYTES,
      card: contentTypes.length ? contentTypes : typeof body?.type === 'string' ? [body.type] : body?.composeExtension ? ['composeExtension'] : [],
    },
    'message over the Teams size budget: a short sentence was sent instead',
  );
  const sentence = t(locale, 'error.tooBig');
  if (activity.type === 'invokeResponse') {
    const status = (activity.value as { status?: number } | undefined)?.status ?? 200;
    const replaced = body?.composeExtension
      ? { composeExtension: { type: 'message', text: sentence } }
      : { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: sentence };
    return { ...activity, value: { status, body: replaced } };
  }
  const { attachments: _attachments, attachmentLayout: _layout, summary: _summary, ...rest } = activity;
  return { ...rest, text: sentence } as A;
}

/** A name for what the person did, safe to log: a card verb or invoke name, never typed text. */
function triggerOf(activity: Partial<Activity>): string {
  const verb = (activity.value as { verb?: unknown; action?: { verb?: unknown } } | undefined)?.verb ?? (activity.value as { action?: { verb?: unknown } } | undefined)?.action?.verb;
  if (typeof verb === 'string' && /^[A-Za-z][A-Za-z0-9.]{0,40}$/.test(verb)) return verb;
  return activity.type === 'invoke' ? `invoke:${String(activity.name ?? '')}`.slice(0, 60) : String(activity.type ?? '');
}

/** Installs the guard on one turn: replies, invoke responses and updates all pass it. */
export function guardTurn(context: TurnContext, locale: () => Locale, log: Logger): void {
  const trigger = triggerOf(context.activity);
  context.onSendActivities(async (_ctx, activities, next) => {
    for (let i = 0; i < activities.length; i++) {
      const kind: Outgoing = activities[i]!.type === 'invokeResponse' ? 'invokeResponse' : 'reply';
      activities[i] = withinBudget(activities[i]!, locale(), log, { kind, trigger });
    }
    return next();
  });
  context.onUpdateActivity(async (_ctx, activity, next) => {
    const fitted = withinBudget(activity, locale(), log, { kind: 'update', trigger });
    if (fitted !== activity) {
      // The update goes out as this very object: take the card off and put the sentence on.
      delete activity.attachments;
      delete activity.attachmentLayout;
      delete activity.summary;
      activity.text = fitted.text;
    }
    return next();
  });
}
