// Builds the Teams application from small named steps: the tenant gate, who is acting, command routing,
// card actions, installation bookkeeping and error answers; then each capability's declared routes.
import { Application, TurnState } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import { directoryOf, type Built, type Command, type Core, type Directory, type Routes } from './capability';
import { guardTurn } from './cards/guard';
import { unknownCommandCard, welcomeCard } from './cards/welcome';
import { registerActions } from './core/actions';
import { answerKnownErrors, answerUnhandledInvoke, withApology } from './core/answers';
import { CommandRouter, MAX_COMMAND_LENGTH } from './core/commands';
import { applyAudience } from './core/guard';
import { Identify } from './core/identity';
import { registerInstallation, rememberPersonalChat } from './core/installation';
import { registerSearches } from './core/searches';
import { t, type Locale } from './i18n';
import { answer, localeFor, sendCard, tenantOf } from './turn';

export { MAX_COMMAND_LENGTH };

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

/** `coreRoutes`: the core's own commands and actions (privacy), beside the capabilities'. */
export function createBot(core: Core, built: Built[], coreRoutes: Routes[] = []): Bot {
  const { config, log } = core;
  const directory: Directory = directoryOf(built);
  const identify = new Identify(directory);
  const locale = (context: TurnContext): Locale => localeFor(context, config.locale);

  // No storage: teams-ai then reads and writes no turn state. Every capability keeps its data in its own
  // tables, so a turn costs only the reads its route makes.
  const app = new BotApplication({ startTypingTimer: false, longRunningMessages: false, removeRecipientMention: true });

  // Every route with its declared audience applied: no handler runs for someone it is not for.
  const routes = [...built.map((b) => b.routes), ...coreRoutes].map((r) => applyAudience(core.room, r));
  const menu = routes.flatMap((r) => r.menu ?? []);
  const help: Command = {
    words: [],
    handler: async ({ context, member, locale: lang }) => {
      const greeting = { name: member.name, role: t(lang, `role.${member.role}`), organisation: identify.organisationName(member.organisationId) };
      await sendCard(context, welcomeCard(lang, menu, member.role, greeting));
    },
  };
  const router = new CommandRouter(
    routes.flatMap((r) => r.commands ?? []),
    help,
  );

  async function runCommand(context: TurnContext, text: string): Promise<void> {
    const lang = locale(context);
    if (text.length > MAX_COMMAND_LENGTH) return void (await context.sendActivity(t(lang, 'error.tooLong', { max: MAX_COMMAND_LENGTH })));
    const member = await identify.memberOrOnboard(context, lang);
    if (!member) return;
    const normalised = CommandRouter.normalise(text);
    const routed = router.route(normalised);
    if (!routed) return void (await sendCard(context, unknownCommandCard(lang, normalised, router.suggest(normalised))));
    await answerKnownErrors(context, lang, () => routed.command.handler({ context, member, locale: lang, args: routed.args }));
  }

  // A menu button: the same as typing the command.
  app.adaptiveCards.actionSubmit('command', async (context) => {
    const value = context.activity.value as { command?: unknown };
    await runCommand(context, typeof value.command === 'string' ? value.command : '');
  });
  registerActions(app, { identify, locale }, {
    actions: routes.flatMap((r) => r.actions ?? []),
    openActions: routes.flatMap((r) => r.openActions ?? []),
    executes: routes.flatMap((r) => r.executes ?? []),
    files: routes.flatMap((r) => r.files ?? []),
    searchExtensions: routes.flatMap((r) => r.searchExtensions ?? []),
  });
  registerSearches(app, { identify, locale }, routes.flatMap((r) => r.searches ?? []));

  app.message(async (context) => context.activity.type === 'message', async (context) => {
    const text = context.activity.text ?? '';
    // A card submit that no route knows: forged or from an old card.
    if (!text.trim() && context.activity.value !== undefined) return void (await context.sendActivity(t(locale(context), 'error.invalidInput')));
    await runCommand(context, text);
  });
  registerInstallation(app, core);

  return {
    async handle(context) {
      const activity = context.activity;
      // Before anything answers: no message leaves this turn above Teams' size budget.
      guardTurn(context, () => locale(context), log);
      const tenant = tenantOf(activity);
      if (!tenant || !config.access.allowedTenantIds.includes(tenant)) {
        // Nothing is stored for other tenants; people who type get one short answer.
        log.warn({ event: 'tenant.refused', type: activity.type }, 'activity from a tenant that is not allowed');
        return answer(context, t(locale(context), 'refused.tenant'));
      }
      if (activity.type === 'message' && activity.value !== undefined && !isPlainObject(activity.value)) {
        // teams-ai's submit routing reads value.verb and would fail on null or a bare value: a malformed submit.
        if (!activity.text?.trim()) return answer(context, t(locale(context), 'error.invalidInput'));
        activity.value = undefined;
      }
      await withApology(context, () => locale(context), log, async () => {
        if (activity.type === 'message' || activity.type === 'invoke') void identify.start(context);
        await rememberPersonalChat(context, core);
        await app.run(context);
        await answerUnhandledInvoke(context, locale(context));
      });
    },
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
