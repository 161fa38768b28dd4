// Builds the Teams application: tenant gate, one turn at a time per conversation, member resolution,
// the command registry, error answers, and each feature's routes.
import { randomBytes } from 'node:crypto';
import { Application, TurnState } from '@microsoft/teams-ai';
import { TurnContext, type Storage } from 'botbuilder';
import { t, type Locale } from './i18n';
import { errorFields } from './log';
import { answer, knownErrorMessage, localeFor, personOf, sendCard, tenantOf } from './turn';
import { unknownCommandCard, welcomeCard, type MenuItem } from './features/core/cards';
import { memberOrOnboard, membersFeature, prefetchMember, type MemberRouteWrapper } from './features/members/routes';
import { dilemmasFeature } from './features/dilemmas/routes';
import type { CommandHandler, Feature, MemberTurn, Services } from './features/types';
import type { StoredReference } from './proactive/references';

/** Longest chat text the bot reads; Teams allows about 28 KB, a command is a few words. */
export const MAX_COMMAND_LENGTH = 2_000;

export interface Bot {
  /** Runs one turn: the adapter calls this for every activity. */
  handle(context: TurnContext): Promise<void>;
}

/**
 * teams-ai 1.7 starts its typing timer on every message turn whatever `startTypingTimer` says, and keeps one
 * timer for all turns, so concurrent turns stop each other's timers and a late "typing" can follow a reply.
 */
class BotApplication extends Application<TurnState> {
  override startTypingTimer(): void {}
}

export function createBot(services: Services, storage: Storage): Bot {
  const { config, log } = services;
  const app = new BotApplication({
    storage,
    startTypingTimer: false,
    longRunningMessages: false,
    removeRecipientMention: true,
  });

  const memberTurn: MemberRouteWrapper = (handler) => async (context) => {
    const member = await memberOrOnboard(context, services);
    if (!member) return;
    await answerKnownErrors(context, locale(context), () => handler({ context, member, locale: locale(context), args: '' }));
  };
  const locale = (context: TurnContext): Locale => localeFor(context, config.locale);

  const features: Feature[] = [dilemmasFeature(services, memberTurn), membersFeature(services, memberTurn)];

  // Commands: the first word picks the handler; a button on a card can run the same command.
  const commands = new Map<string, CommandHandler>();
  const menu: MenuItem[] = [];
  const showWelcome: CommandHandler = async ({ context, member, locale: lang }) => {
    const greeting = {
      name: member.name,
      role: t(lang, `role.${member.role}`),
      organisation: services.members.organisationName(member.organisationId),
    };
    await sendCard(context, welcomeCard(lang, menu, member.role, greeting));
  };
  for (const word of ['help', 'hulp', 'menu', 'start', '?']) commands.set(word, showWelcome);
  for (const feature of features) {
    menu.push(...(feature.menu ?? []));
    for (const command of feature.commands ?? []) for (const word of command.words) commands.set(word, command.handler);
    feature.register?.(app, services);
  }

  async function runCommand(context: TurnContext, text: string): Promise<void> {
    const lang = locale(context);
    if (text.length > MAX_COMMAND_LENGTH) {
      await context.sendActivity(t(lang, 'error.tooLong', { max: MAX_COMMAND_LENGTH }));
      return;
    }
    const member = await memberOrOnboard(context, services);
    if (!member) return;
    // Mentions Teams did not mark as entities still arrive as <at>…</at>: they are not part of the command.
    const normalised = text.replace(/[’‘]/g, "'").replace(/<at>[^<]*<\/at>/gi, ' ').trim().replace(/\s+/g, ' ');
    const [first = '', ...rest] = normalised.split(' ');
    const handler = commands.get(first.toLowerCase()) ?? commands.get(normalised.toLowerCase());
    if (!handler) {
      await sendCard(context, unknownCommandCard(lang, normalised));
      return;
    }
    const turn: MemberTurn = { context, member, locale: lang, args: commands.has(first.toLowerCase()) ? rest.join(' ') : '' };
    await answerKnownErrors(context, lang, () => handler(turn));
  }

  // A menu button: same as typing the command.
  app.adaptiveCards.actionSubmit('command', async (context) => {
    const value = context.activity.value as { command?: unknown } | undefined;
    await runCommand(context, typeof value?.command === 'string' ? value.command : '');
  });

  app.message(async (context) => context.activity.type === 'message', async (context) => {
    const text = context.activity.text ?? '';
    if (!text.trim() && context.activity.value !== undefined) {
      // A card submit that no route knows: forged or from an old card.
      await context.sendActivity(t(locale(context), 'error.invalidInput'));
      return;
    }
    await runCommand(context, text);
  });

  // Installation: remember where the bot is, so it can reach people and channels later.
  app.activity('installationUpdate', async (context) => {
    const action = String(context.activity.action ?? '');
    if (action.startsWith('remove')) {
      await services.references.remove(context.activity.conversation.id);
      log.info({ event: 'install.removed', conversationType: context.activity.conversation.conversationType }, 'bot removed');
      return;
    }
    await services.references.save(referenceOf(context));
    await context.sendActivity(t(locale(context), 'install.welcome'));
    log.info({ event: 'install.added', conversationType: context.activity.conversation.conversationType }, 'bot installed');
  });

  app.conversationUpdate('membersAdded', async (context) => {
    const botId = context.activity.recipient?.id;
    if (!context.activity.membersAdded?.some((m) => m.id === botId)) return;
    await services.references.save(referenceOf(context));
  });

  app.conversationUpdate('membersRemoved', async (context) => {
    const botId = context.activity.recipient?.id;
    if (!context.activity.membersRemoved?.some((m) => m.id === botId)) return;
    await services.references.remove(context.activity.conversation.id);
  });

  app.conversationUpdate('teamDeleted', async (context) => {
    await services.references.remove(context.activity.conversation.id);
  });

  async function answerKnownErrors(context: TurnContext, lang: Locale, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (err) {
      const message = knownErrorMessage(err, lang);
      if (message === undefined) throw err;
      await answer(context, message);
    }
  }

  // One turn at a time per conversation: turn state is saved with ETags, and two turns at once would conflict.
  const queues = new Map<string, Promise<void>>();
  function serialised(key: string, work: () => Promise<void>): Promise<void> {
    const previous = queues.get(key) ?? Promise.resolve();
    const next = previous.then(work, work);
    const tail = next.catch(() => undefined);
    queues.set(key, tail);
    void tail.then(() => {
      if (queues.get(key) === tail) queues.delete(key);
    });
    return next;
  }

  return {
    async handle(context) {
      const activity = context.activity;
      const tenant = tenantOf(activity);
      if (!tenant || !config.access.allowedTenantIds.includes(tenant)) {
        // Nothing is stored for other tenants; people who type get one short answer.
        log.warn({ event: 'tenant.refused', type: activity.type }, 'activity from a tenant that is not allowed');
        await answer(context, t(locale(context), 'refused.tenant'));
        return;
      }
      await serialised(activity.conversation?.id ?? '', async () => {
        try {
          if (activity.type === 'message' || activity.type === 'invoke') prefetchMember(context, services);
          if (activity.type === 'message' && activity.conversation?.conversationType === 'personal' && personOf(context)) {
            await services.references.save(referenceOf(context), { onlyOnce: true });
          }
          await app.run(context);
        } catch (err) {
          const code = randomBytes(3).toString('hex').toUpperCase();
          log.error({ event: 'turn.failed', code, type: activity.type, err: errorFields(err) }, 'turn failed');
          try {
            await answer(context, t(locale(context), 'error.apology', { code }));
          } catch (sendErr) {
            log.error({ event: 'turn.apologyFailed', code, err: errorFields(sendErr) }, 'could not send the apology');
          }
        }
      });
    },
  };
}

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
