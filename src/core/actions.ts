// Card actions, file uploads and message extensions of every capability: Action.Submit for members and for
// newcomers, Action.Execute answered through the invoke response only (never a chat post: Teams sends these by
// itself for a card's refresh). Every member route arrives here with its declared audience applied (guard.ts).
import type { TurnContext } from 'botbuilder';
import type { BotApp, CardAction, ExecuteAction, FileUpload, MemberTurn, OpenCardAction, SearchExtension } from '../capability';
import { AccessDenied, NotFound } from '../errors';
import { t, type Locale } from '../i18n';
import { answerExecute, isShared, knownErrorMessage, personOf } from '../turn';
import { answerKnownErrors } from './answers';
import type { Identify } from './identity';

interface ActionDeps {
  identify: Identify;
  locale(context: TurnContext): Locale;
}

function executeOf(context: TurnContext): { verb: string; data: unknown } | undefined {
  const a = context.activity;
  if (a.type !== 'invoke' || a.name !== 'adaptiveCard/action') return undefined;
  const action = (a.value as { action?: { type?: unknown; verb?: unknown; data?: unknown } } | null | undefined)?.action;
  if (action?.type !== 'Action.Execute' || typeof action.verb !== 'string') return undefined;
  return { verb: action.verb, data: action.data ?? {} };
}

export function registerActions(
  app: BotApp,
  deps: ActionDeps,
  routes: { actions: CardAction[]; openActions: OpenCardAction[]; executes: ExecuteAction[]; files: FileUpload[]; searchExtensions: SearchExtension[] },
): void {
  const { identify, locale } = deps;

  for (const action of routes.openActions) {
    app.adaptiveCards.actionSubmit(action.verb, async (context) => {
      const lang = locale(context);
      const person = personOf(context);
      if (!person) return void (await context.sendActivity(t(lang, 'refused.noIdentity')));
      await answerKnownErrors(context, lang, () => action.handler({ context, person, locale: lang }));
    });
  }

  for (const action of routes.actions) {
    app.adaptiveCards.actionSubmit(action.verb, async (context) => {
      const lang = locale(context);
      const member = await identify.memberOrOnboard(context, lang);
      if (!member) return;
      await answerKnownErrors(context, lang, () => action.handler({ context, member, locale: lang, args: '' }));
    });
  }

  const executes = new Map(routes.executes.map((e) => [e.verb, e]));
  // Our own route: teams-ai's Action.Execute route would switch the card to "replace for all" for good.
  app.addRoute(
    async (context) => executes.has(executeOf(context)?.verb ?? ''),
    async (context) => {
      const execute = executes.get(executeOf(context)!.verb)!;
      const lang = locale(context);
      const member = await identify.memberIfKnown(context);
      if (!member) {
        // An old card of someone who is no longer a member: replace it, so its text does not stay on screen.
        const line = t(lang, isShared(context) ? 'access.personalOnly' : 'access.askFirst');
        return answerExecute(context, execute.isRefresh && execute.gone ? execute.gone(lang) : line);
      }
      const turn: MemberTurn = { context, member, locale: lang, args: '' };
      let result;
      try {
        result = await execute.handler(turn);
      } catch (err) {
        // A copy of something the person may (no longer) see is replaced, so its text does not stay on screen.
        if (execute.gone && (err instanceof NotFound || (execute.isRefresh && err instanceof AccessDenied))) {
          result = execute.gone(lang);
        } else {
          const message = knownErrorMessage(err, lang);
          if (message === undefined) throw err;
          result = message;
        }
      }
      await answerExecute(context, result);
    },
    true,
  );

  for (const upload of routes.files) {
    app.activity(
      async (context) => context.activity.type === 'message' && upload.accepts(context.activity.attachments ?? []),
      async (context) => {
        const lang = locale(context);
        const member = await identify.memberOrOnboard(context, lang);
        if (!member) return;
        await answerKnownErrors(context, lang, () => upload.handler({ context, member, locale: lang, args: '' }));
      },
    );
  }

  const notMember = (lang: Locale) => ({ type: 'message' as const, text: t(lang, 'access.personalOnly') });
  for (const extension of routes.searchExtensions) {
    app.messageExtensions.query(extension.commandId, async (context, _state, query) => {
      const lang = locale(context);
      const member = await identify.memberIfKnown(context);
      if (!member) return notMember(lang);
      return extension.query({ context, member, locale: lang, args: '' }, query);
    });
  }
  // Teams' selectItem invoke names no command, so one extension at most may take it.
  const selecting = routes.searchExtensions.filter((e) => e.select);
  if (selecting.length > 1) throw new Error('Only one message extension can take a chosen item (selectItem)');
  const chooser = selecting[0];
  if (chooser?.select) {
    const select = chooser.select;
    app.messageExtensions.selectItem(async (context, _state, item) => {
      const lang = locale(context);
      const member = await identify.memberIfKnown(context);
      if (!member) return notMember(lang);
      return select({ context, member, locale: lang, args: '' }, item);
    });
  }
}
