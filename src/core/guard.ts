// The core's guard: every member route declares who it is for (roles, and where: personal chat only, shared
// chats only when everyone in them may read along, or open). The core applies that declaration before the
// handler runs, for commands, card submits, Action.Execute, file uploads and message extensions alike.
import type { Audience, ExecuteAction, MemberTurn, RefusalWords, Routes } from '../capability';
import { t, type Locale } from '../i18n';
import type { Member } from '../identity';
import { isShared } from '../turn';
import type { Room } from './room';

/** The sentence that refuses this turn the route, or undefined when it may run. */
export async function refusalFor(room: Room, turn: MemberTurn, audience: Audience, words: RefusalWords = {}): Promise<string | undefined> {
  const { roles, where } = audience;
  if (roles && !roles.includes(turn.member.role)) return words.role?.(turn.locale) ?? roleRefusal(turn.locale, roles);
  if (where === 'open' || !isShared(turn.context)) return undefined;
  if (where === 'personal') return words.personalOnly?.(turn.locale) ?? t(turn.locale, 'guard.personalOnly');
  const verdict = await room.verdict(turn.context, (member: Member) => !roles || roles.includes(member.role));
  if (verdict === 'yes') return undefined;
  // When Teams cannot say who reads along, the sentence says so: "someone here may not" would be a guess.
  return verdict === 'unknown' ? t(turn.locale, 'room.unknown') : (words.notEveryone?.(turn.locale) ?? t(turn.locale, 'guard.notEveryone'));
}

function roleRefusal(locale: Locale, roles: readonly string[]): string {
  return roles.length === 1 && roles[0] === 'secretariaat' ? t(locale, 'error.notAllowed') : t(locale, 'guard.notForRole');
}

/**
 * A capability's routes with its declared audiences applied: each handler runs only when `refusalFor` allows;
 * otherwise the person gets the sentence (an Action.Execute refresh gets the route's `gone` card instead).
 */
export function applyAudience(room: Room, routes: Routes): Routes {
  const audienceOf = (route: { audience?: Audience }) => route.audience ?? routes.audience;
  const wordsOf = (route: { refusals?: RefusalWords }): RefusalWords => ({ ...routes.refusals, ...route.refusals });
  const guard = <T extends { audience?: Audience; refusals?: RefusalWords; handler(turn: MemberTurn): Promise<void> }>(route: T): T => ({
    ...route,
    handler: async (turn: MemberTurn) => {
      const refused = await refusalFor(room, turn, audienceOf(route), wordsOf(route));
      if (refused === undefined) return route.handler(turn);
      await turn.context.sendActivity(refused);
    },
  });
  const execute = (route: ExecuteAction): ExecuteAction => ({
    ...route,
    handler: async (turn) => {
      const refused = await refusalFor(room, turn, audienceOf(route), wordsOf(route));
      if (refused === undefined) return route.handler(turn);
      return route.isRefresh && route.gone ? route.gone(turn.locale) : refused;
    },
  });
  return {
    ...routes,
    commands: (routes.commands ?? []).map(guard),
    actions: (routes.actions ?? []).map(guard),
    executes: (routes.executes ?? []).map(execute),
    files: (routes.files ?? []).map(guard),
    // A typeahead someone may not use here gets no options (Teams shows no sentence there).
    searches: (routes.searches ?? []).map((route) => ({
      ...route,
      handler: async (turn, query) => ((await refusalFor(room, turn, audienceOf(route), wordsOf(route))) === undefined ? route.handler(turn, query) : []),
    })),
    searchExtensions: (routes.searchExtensions ?? []).map((route) => {
      const refusal = (turn: MemberTurn) => refusalFor(room, turn, audienceOf(route), wordsOf(route));
      const select = route.select;
      return {
        ...route,
        query: async (turn, query) => {
          const refused = await refusal(turn);
          return refused === undefined ? route.query(turn, query) : { type: 'message', text: refused };
        },
        ...(select
          ? {
              select: async (turn: MemberTurn, item: unknown) => {
                const refused = await refusal(turn);
                return refused === undefined ? select(turn, item) : { type: 'message', text: refused };
              },
            }
          : {}),
      };
    }),
  };
}
