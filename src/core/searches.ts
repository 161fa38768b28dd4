// Dynamic typeahead in cards: Teams sends an `application/search` invoke while a person types in an
// `Input.ChoiceSet` with `choices.data` (`Data.Query`); the capability that declared the dataset answers.
import { ActivityTypes, type TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { BotApp, MemberTurn, SearchChoice, SearchRoute } from '../capability';
import type { Locale } from '../i18n';
import type { Identify } from './identity';

/** Teams shows at most this many options in a typeahead list. */
const MAX_SEARCH_RESULTS = 15;
/** Longest query text looked at: a person types a few words, not a page. */
const MAX_QUERY_LENGTH = 200;

const searchValueSchema = z.object({
  dataset: z.string().max(100),
  queryText: z.unknown().transform((v) => (typeof v === 'string' ? v.slice(0, MAX_QUERY_LENGTH) : '')),
  queryOptions: z
    .object({ skip: z.number().int().min(0).max(10_000).optional(), top: z.number().int().min(1).max(1_000).optional() })
    .passthrough()
    .optional(),
});

function searchOf(context: TurnContext) {
  const a = context.activity;
  if (a.type !== 'invoke' || a.name !== 'application/search') return undefined;
  const parsed = searchValueSchema.safeParse(a.value);
  return parsed.success ? parsed.data : undefined;
}

/** The invoke response Teams expects: a list of options (title, value). */
async function answerSearch(context: TurnContext, results: SearchChoice[]): Promise<void> {
  const body = { type: 'application/vnd.microsoft.search.searchResponse', value: { results } };
  await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body } });
}

export function registerSearches(app: BotApp, deps: { identify: Identify; locale(context: TurnContext): Locale }, searches: SearchRoute[]): void {
  const routes = new Map<string, SearchRoute>();
  for (const s of searches) {
    if (routes.has(s.dataset)) throw new Error(`Two capabilities answer the typeahead dataset "${s.dataset}"`);
    routes.set(s.dataset, s);
  }
  app.addRoute(
    async (context) => routes.has(searchOf(context)?.dataset ?? ''),
    async (context) => {
      const value = searchOf(context)!;
      const route = routes.get(value.dataset)!;
      // Not a member (any more): no options, and nothing else said (Teams shows the empty list).
      const member = await deps.identify.memberIfKnown(context);
      if (!member) return answerSearch(context, []);
      const turn: MemberTurn = { context, member, locale: deps.locale(context), args: '' };
      const top = Math.min(value.queryOptions?.top ?? MAX_SEARCH_RESULTS, MAX_SEARCH_RESULTS);
      const found = await route.handler(turn, { text: value.queryText.trim(), skip: value.queryOptions?.skip ?? 0, top });
      await answerSearch(context, found.slice(0, top));
    },
    true,
  );
}
