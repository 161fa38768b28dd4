// Installation bookkeeping: remember where the bot is (personal chats, group chats, channels), so it can
// reach people and channels later, and forget it when it is removed; and count read receipts of what the outbox sent.
import { TurnContext } from 'botbuilder';
import type { BotApp, Core } from '../capability';
import { t } from '../i18n';
import type { StoredReference } from '../proactive/references';
import { localeFor, personOf, tenantOf } from '../turn';

function referenceOf(context: TurnContext): StoredReference {
  const activity = context.activity;
  return {
    reference: TurnContext.getConversationReference(activity),
    conversationType: activity.conversation?.conversationType ?? 'personal',
    locale: activity.locale ?? '',
    tenantId: tenantOf(activity) ?? '',
    ...(activity.from?.aadObjectId && activity.conversation?.conversationType === 'personal'
      ? { aadObjectId: activity.from.aadObjectId.toLowerCase() }
      : {}),
    updatedAt: new Date().toISOString(),
  };
}

/** A message in a personal chat: keep the reference current (once per process and locale). */
export async function rememberPersonalChat(context: TurnContext, core: Core): Promise<void> {
  const activity = context.activity;
  if (activity.type === 'message' && activity.conversation?.conversationType === 'personal' && personOf(context)) {
    await core.references.save(referenceOf(context), { onlyOnce: true });
  }
}

export function registerInstallation(app: BotApp, core: Core): void {
  const { references, log } = core;
  app.activity('installationUpdate', async (context) => {
    const action = String(context.activity.action ?? '');
    if (action.startsWith('remove')) {
      await references.remove(context.activity.conversation.id);
      log.info({ event: 'install.removed', conversationType: context.activity.conversation.conversationType }, 'bot removed');
      return;
    }
    await references.save(referenceOf(context));
    // Outside a personal chat the bot hears only an @mention: the greeting says so.
    const personal = context.activity.conversation.conversationType === 'personal';
    await context.sendActivity(t(localeFor(context, core.config.locale), personal ? 'install.welcome' : 'install.welcomeShared'));
    log.info({ event: 'install.added', conversationType: context.activity.conversation.conversationType }, 'bot installed');
  });

  app.conversationUpdate('membersAdded', async (context) => {
    const botId = context.activity.recipient?.id;
    if (!context.activity.membersAdded?.some((m) => m.id === botId)) return;
    await references.save(referenceOf(context));
  });

  app.conversationUpdate('membersRemoved', async (context) => {
    const botId = context.activity.recipient?.id;
    if (!context.activity.membersRemoved?.some((m) => m.id === botId)) return;
    await references.remove(context.activity.conversation.id);
  });

  app.conversationUpdate('teamDeleted', async (context) => {
    await references.remove(context.activity.conversation.id);
  });

  // Teams sends these from personal chats when people allow read receipts: the outbox counts what was read.
  app.activity(
    async (context) => context.activity.type === 'event' && context.activity.name === READ_RECEIPT,
    async (context) => {
      const last = (context.activity.value as { lastReadMessageId?: unknown } | undefined)?.lastReadMessageId;
      if (typeof last !== 'string' || !/^\d{1,20}$/.test(last) || context.activity.conversation?.conversationType !== 'personal') return;
      const marked = await core.outbox.markRead(context.activity.conversation.id, last);
      if (marked) log.info({ event: 'digest.read', marked }, 'read receipt counted');
    },
  );
}

const READ_RECEIPT = 'application/vnd.microsoft.readReceipt';
