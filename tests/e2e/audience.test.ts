// The core applies every route's declared audience before its handler runs: walked from the routes the bot
// holds (commands, card submits, Action.Execute, file uploads, message extensions), each tried by a role it is
// not for, in a shared chat when it is for a personal chat only, and in shared chats where not everyone may
// read along (a stranger in the roster, or a roster Teams cannot give).
import type { Audience, RefusalWords, Routes } from '../../src/capability';
import { catalogs, type Locale } from '../../src/i18n';
import { ROLES, type Role } from '../../src/identity';
import { cardOf, readable, startTestBot, TENANT, type ConversationSpec, type TestBot, type TestUser } from '../helpers/harness';

// Each walk makes many turns (every route, every step); on a busy machine that takes a while.
jest.setTimeout(120_000);

let bot: TestBot;
const asRole = Object.fromEntries(
  ROLES.map((role, i) => [role, { aadObjectId: `aeaeaeae-0000-4000-8000-00000000000${i + 1}`, name: `Lid ${role}` } as TestUser]),
) as Record<Role, TestUser>;
const stranger = { id: '29:stranger', name: 'Gast Collega', aadObjectId: 'aeaeaeae-0000-4000-8000-000000000099', tenantId: TENANT };

beforeAll(async () => {
  bot = await startTestBot();
  await bot.app.services.members.seed(
    ROLES.map((role) => ({ tenantId: TENANT, aadObjectId: asRole[role].aadObjectId, name: asRole[role].name, organisationId: 'huizen', role })),
  );
  for (const u of Object.values(asRole)) await bot.say(u, 'help');
});
afterAll(async () => {
  await bot.stop();
});

interface Declared {
  kind: 'command' | 'submit' | 'execute' | 'file' | 'search';
  name: string;
  audience: Audience;
  words: RefusalWords;
  /** For Teams' automatic refresh of a card: a refusal replaces the card with this one. */
  gone?: (locale: Locale) => unknown;
}

/** Every member route of every capability and of the core, with the audience the core applies to it. */
function declared(): Declared[] {
  const of = (r: Routes, route: { audience?: Audience; refusals?: RefusalWords }) => ({ audience: route.audience ?? r.audience, words: { ...r.refusals, ...route.refusals } });
  return bot.app.routes.flatMap((r) => [
    ...(r.commands ?? []).map((c) => ({ kind: 'command' as const, name: c.words[0]!, ...of(r, c) })),
    ...(r.actions ?? []).map((a) => ({ kind: 'submit' as const, name: a.verb, ...of(r, a) })),
    ...(r.executes ?? []).map((e) => ({ kind: 'execute' as const, name: e.verb, ...of(r, e), ...(e.isRefresh && e.gone ? { gone: e.gone } : {}) })),
    ...(r.files ?? []).map((f, i) => ({ kind: 'file' as const, name: `file ${i}`, ...of(r, f) })),
    ...(r.searchExtensions ?? []).map((s) => ({ kind: 'search' as const, name: s.commandId, ...of(r, s) })),
  ]);
}

/** What the person read after using the route in a conversation (the sentence, or the invoke's answer). */
async function use(route: Declared, user: TestUser, conversation: ConversationSpec): Promise<{ said: string; card: boolean }> {
  const mention = conversation.type === 'personal' ? '' : '<at>BO Wonen</at> ';
  const fields: Record<string, unknown> =
    route.kind === 'command'
      ? { text: `${mention}${route.name}` }
      : route.kind === 'submit'
        ? { value: { verb: route.name } }
        : route.kind === 'file'
          ? { attachments: [{ contentType: 'application/vnd.microsoft.teams.file.download.info', name: 'plannen.csv', content: { downloadUrl: 'http://127.0.0.1:9/plannen.csv', fileType: 'csv' } }] }
          : route.kind === 'execute'
            ? { type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: route.name, data: {} } } }
            : { type: 'invoke', name: 'composeExtension/query', value: { commandId: route.name, parameters: [{ name: 'planName', value: 'boom' }] } };
  const result = await bot.post(bot.activity(user, conversation, fields));
  if (route.kind === 'execute' || route.kind === 'search') {
    // The answer is the invoke response: every text in it, unescaped.
    const texts: string[] = [];
    const walk = (node: unknown): void => {
      if (typeof node === 'string') texts.push(node);
      else if (node && typeof node === 'object') Object.values(node).forEach(walk);
    };
    walk(JSON.parse(result.body || '{}'));
    return { said: texts.join('\n'), card: /AdaptiveCard|"attachments"/.test(result.body) };
  }
  return { said: result.replies.map(readable).join('\n'), card: result.replies.some((r) => cardOf(r)) };
}

const core = (key: keyof typeof catalogs.nl) => catalogs.nl[key];
const nl: Locale = 'nl';

it('refuses each route to every role it is not declared for, before its handler runs, in its own words', async () => {
  let tried = 0;
  for (const route of declared().filter((r) => r.audience.roles)) {
    for (const role of ROLES.filter((r) => !route.audience.roles!.includes(r))) {
      const { said, card } = await use(route, asRole[role], { id: `a:personal-${asRole[role].aadObjectId}`, type: 'personal' });
      if (route.gone) {
        // Teams refreshed a card this role may not see: it is replaced by the route's "gone" card.
        expect({ route: route.name, role, card }).toEqual({ route: route.name, role, card: true });
        continue;
      }
      const sentence = route.words.role?.(nl) ?? (route.audience.roles!.join() === 'secretariaat' ? core('error.notAllowed') : core('guard.notForRole'));
      expect({ route: route.name, role, card, said: said.includes(sentence) }).toEqual({ route: route.name, role, card: false, said: true });
      tried++;
    }
  }
  expect(tried).toBeGreaterThan(20);
});

it('answers a route declared for the personal chat only with a pointer there, in a channel', async () => {
  const admin = asRole.secretariaat;
  const routes = declared().filter((r) => r.audience.where === 'personal' && r.kind !== 'search');
  expect(routes.length).toBeGreaterThan(5);
  for (const route of routes) {
    const { said, card } = await use(route, admin, { id: '19:personal-only@thread.v2', type: 'groupChat' });
    if (route.gone) {
      // Teams refreshed a personal-chat card shown elsewhere: it is replaced by the route's "gone" card.
      expect({ route: route.name, card }).toEqual({ route: route.name, card: true });
      continue;
    }
    const sentence = route.words.personalOnly?.(nl) ?? core('guard.personalOnly');
    expect({ route: route.name, card, said: said.includes(sentence) }).toEqual({ route: route.name, card: false, said: true });
  }
});

it('shows a members route in a shared chat only when everyone there may see it; else it says why', async () => {
  const routes = declared().filter((r) => r.audience.where === 'members');
  expect(routes.length).toBeGreaterThan(5);
  const reader = asRole.secretariaat;
  // One chat each: Teams' roster is read once and kept for a minute, as in production.
  const withGuest: ConversationSpec = { id: '19:guest@thread.v2', type: 'groupChat' };
  bot.connector.addToRoster(withGuest.id, stranger);
  const unknown: ConversationSpec = { id: '19:unknown@thread.v2', type: 'groupChat' };
  bot.connector.rostersFailing.add(unknown.id);
  for (const route of routes) {
    if (route.gone) {
      // Teams' own refresh of a card: refused, the card is replaced by the route's "gone" card.
      for (const where of [withGuest, unknown]) {
        const { said } = await use(route, reader, where);
        expect({ route: route.name, said }).toEqual({ route: route.name, said: expect.stringContaining(readable({ method: '', conversationId: '', activity: { attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: route.gone(nl) }] } }).split('\n')[0]!) });
      }
      continue;
    }
    const guest = await use(route, reader, withGuest);
    const notEveryone = route.words.notEveryone?.(nl) ?? core('guard.notEveryone');
    expect({ route: route.name, card: guest.card, said: guest.said.includes(notEveryone) }).toEqual({ route: route.name, card: false, said: true });

    const failed = await use(route, reader, unknown);
    expect({ route: route.name, card: failed.card, said: failed.said.includes(core('room.unknown')) }).toEqual({ route: route.name, card: false, said: true });
  }
});
