// The core applies every route's declared audience before its handler runs: walked from the routes the bot
// holds (commands, card submits, Action.Execute, file uploads, message extensions), each tried by a role it is
// not for, in a shared chat when it is for a personal chat only, and in shared chats where not everyone may
// read along (a stranger in the roster, or a roster Teams cannot give).
import type { Audience, MemberTurn, RefusalWords, Routes } from '../../src/capability';
import { refusalFor } from '../../src/core/guard';
import type { Room, RoomVerdict } from '../../src/core/room';
import { catalogs, type Locale } from '../../src/i18n';
import { ROLES, type Member, type Role } from '../../src/identity';
import { cardOf, readable, startTestBot, TENANT, type ConversationSpec, type TestBot, type TestUser } from '../helpers/harness';

// Each walk makes many turns (every route, every step); on a busy machine that takes a while.
jest.setTimeout(120_000);

let bot: TestBot;
const asRole = Object.fromEntries(
  ROLES.map((role, i) => [role, { aadObjectId: `aeaeaeae-0000-4000-8000-00000000000${i + 1}`, name: `Lid ${role}` } as TestUser]),
) as Record<Role, TestUser>;
const stranger = { id: '29:stranger', name: 'Gast Collega', aadObjectId: 'aeaeaeae-0000-4000-8000-000000000099', tenantId: TENANT };
// A second secretariaat member, for chats of members only. Teams may leave a roster entry's tenant out: then it is
// the chat's tenant.
const colleague = { id: '29:colleague', name: 'Collega Secretariaat', aadObjectId: 'aeaeaeae-0000-4000-8000-000000000088' };
const PLANS = 'naam;gemeente;totaal;sociale huur;middenhuur;betaalbare koop;overig;fase\nBoomgaard;Huizen;60;20;20;10;10;initiatief\n';

beforeAll(async () => {
  bot = await startTestBot();
  await bot.app.services.members.seed([
    ...ROLES.map((role) => ({ tenantId: TENANT, aadObjectId: asRole[role].aadObjectId, name: asRole[role].name, organisationId: 'huizen', role })),
    { tenantId: TENANT, aadObjectId: colleague.aadObjectId, name: colleague.name, organisationId: 'huizen', role: 'secretariaat' as const },
  ]);
  for (const u of Object.values(asRole)) await bot.say(u, 'help');
  // A plan, so that plan searches (typeahead, message extension) have something to show when they may.
  const admin = (await bot.app.services.members.resolve({ tenantId: TENANT, aadObjectId: asRole.secretariaat.aadObjectId, name: '' }))!;
  await bot.app.services.plans.importFile(admin, Buffer.from(PLANS, 'utf8'));
});
afterAll(async () => {
  await bot.stop();
});

interface Declared {
  kind: 'command' | 'submit' | 'execute' | 'file' | 'search' | 'typeahead';
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
    ...(r.searches ?? []).map((s) => ({ kind: 'typeahead' as const, name: s.dataset, ...of(r, s) })),
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
            : route.kind === 'typeahead'
              ? { type: 'invoke', name: 'application/search', value: { dataset: route.name, queryText: 'boom' } }
              : { type: 'invoke', name: 'composeExtension/query', value: { commandId: route.name, parameters: [{ name: 'planName', value: 'boom' }] } };
  const result = await bot.post(bot.activity(user, conversation, fields));
  if (route.kind === 'typeahead') {
    // Teams shows the options and nothing else: what was "said" is the options' titles.
    const results = (JSON.parse(result.body || '{}') as { value?: { results?: Array<{ title: string }> } }).value?.results ?? [];
    return { said: results.map((r) => r.title).join('\n'), card: false };
  }
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

/** Every sentence with which the core could have refused this route. */
function refusalsOf(route: Declared): string[] {
  const own = [route.words.role?.(nl), route.words.personalOnly?.(nl), route.words.notEveryone?.(nl)];
  const cores = [core('error.notAllowed'), core('guard.notForRole'), core('guard.personalOnly'), core('guard.notEveryone'), core('room.unknown')];
  return [...own, ...cores].filter((s): s is string => Boolean(s));
}

/** The route ran: something came back (a sentence, a card, options) and it was not a refusal. */
async function expectRuns(route: Declared, user: TestUser, conversation: ConversationSpec): Promise<void> {
  const { said, card } = await use(route, user, conversation);
  const refused = refusalsOf(route).some((s) => said.includes(s));
  // A crash is no answer: the apology's first words.
  const apology = said.includes(core('error.apology').split('.')[0]!);
  expect({ route: route.name, kind: route.kind, where: conversation.type, refused, apology, answered: card || said.trim() !== '' }).toEqual({
    route: route.name, kind: route.kind, where: conversation.type, refused: false, apology: false, answered: true,
  });
}

/** A role a route is for: the secretariaat when it may, else the first it names. */
const roleFor = (route: Declared): Role => (!route.audience.roles || route.audience.roles.includes('secretariaat') ? 'secretariaat' : route.audience.roles[0]!);

it('refuses each route to every role it is not declared for, before its handler runs, in its own words', async () => {
  let tried = 0;
  for (const route of declared().filter((r) => r.audience.roles)) {
    for (const role of ROLES.filter((r) => !route.audience.roles!.includes(r))) {
      const { said, card } = await use(route, asRole[role], { id: `a:personal-${asRole[role].aadObjectId}`, type: 'personal' });
      if (route.kind === 'typeahead') {
        // A typeahead says nothing: it offers no options.
        expect({ route: route.name, role, options: said }).toEqual({ route: route.name, role, options: '' });
        continue;
      }
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
  const routes = declared().filter((r) => r.audience.where === 'personal' && r.kind !== 'search' && r.kind !== 'typeahead');
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
    if (route.kind === 'typeahead') {
      // No options where not everyone may see them (Teams shows an empty list, no sentence).
      for (const where of [withGuest, unknown]) expect({ route: route.name, where: where.id, options: (await use(route, reader, where)).said }).toEqual({ route: route.name, where: where.id, options: '' });
      continue;
    }
    const guest = await use(route, reader, withGuest);
    const notEveryone = route.words.notEveryone?.(nl) ?? core('guard.notEveryone');
    expect({ route: route.name, card: guest.card, said: guest.said.includes(notEveryone) }).toEqual({ route: route.name, card: false, said: true });

    const failed = await use(route, reader, unknown);
    expect({ route: route.name, card: failed.card, said: failed.said.includes(core('room.unknown')) }).toEqual({ route: route.name, card: false, said: true });
  }
});

it('runs each route for a role it is for in a personal chat, whatever the route says about where', async () => {
  const routes = declared().filter((r) => !r.gone && !(r.kind === 'submit' && r.name === 'privacyErase'));
  expect(routes.length).toBeGreaterThan(20);
  for (const route of routes) {
    const role = roleFor(route);
    await expectRuns(route, asRole[role], { id: `a:personal-${asRole[role].aadObjectId}`, type: 'personal' });
  }
});

it('runs a members route in a shared chat of members only, also when Teams leaves a member\'s tenant out', async () => {
  const routes = declared().filter((r) => r.audience.where === 'members' && !r.gone && (!r.audience.roles || r.audience.roles.includes('secretariaat')));
  expect(routes.length).toBeGreaterThan(5);
  expect(routes.some((r) => r.kind === 'typeahead')).toBe(true);
  const members: ConversationSpec = { id: '19:members-only@thread.v2', type: 'groupChat' };
  bot.connector.addToRoster(members.id, colleague);
  for (const route of routes) await expectRuns(route, asRole.secretariaat, members);
});

it('runs an open route in a shared chat with a stranger', async () => {
  const routes = declared().filter((r) => r.audience.where === 'open' && !r.gone);
  expect(routes.length).toBeGreaterThan(0);
  const withGuest: ConversationSpec = { id: '19:open-guest@thread.v2', type: 'groupChat' };
  bot.connector.addToRoster(withGuest.id, stranger);
  for (const route of routes) await expectRuns(route, asRole[roleFor(route)], withGuest);
});

it('closes the room when someone in it has no name Teams can give (an anonymous participant)', async () => {
  const routes = declared().filter((r) => r.audience.where === 'members' && !r.gone && r.kind !== 'typeahead');
  const anonymous: ConversationSpec = { id: '19:anonymous@thread.v2', type: 'groupChat' };
  bot.connector.addToRoster(anonymous.id, { id: `29:${asRole.secretariaat.aadObjectId}`, name: asRole.secretariaat.name, aadObjectId: asRole.secretariaat.aadObjectId, tenantId: TENANT });
  bot.connector.addToRoster(anonymous.id, { id: '29:anonymous', name: 'Anonieme deelnemer' });
  bot.connector.addToRoster(anonymous.id, colleague);
  for (const route of routes) {
    const { said, card } = await use(route, asRole.secretariaat, anonymous);
    expect({ route: route.name, card, said: said.includes(core('room.unknown')) }).toEqual({ route: route.name, card: false, said: true });
  }
});

it('reads every page of a roster Teams gives in pages: a stranger on the last page closes the room', async () => {
  const routes = declared().filter((r) => r.audience.where === 'members' && !r.gone && r.kind !== 'typeahead');
  const paged: ConversationSpec = { id: '19:paged@thread.v2', type: 'groupChat' };
  bot.connector.addToRoster(paged.id, { id: `29:${asRole.secretariaat.aadObjectId}`, name: asRole.secretariaat.name, aadObjectId: asRole.secretariaat.aadObjectId, tenantId: TENANT });
  bot.connector.addToRoster(paged.id, colleague);
  bot.connector.addToRoster(paged.id, stranger);
  bot.connector.rosterPageSize = 1;
  try {
    for (const route of routes) {
      const { said, card } = await use(route, asRole.secretariaat, paged);
      const notEveryone = route.words.notEveryone?.(nl) ?? core('guard.notEveryone');
      expect({ route: route.name, card, said: said.includes(notEveryone) }).toEqual({ route: route.name, card: false, said: true });
    }
  } finally {
    bot.connector.rosterPageSize = undefined;
  }
});

it('reads the roster again after a minute: someone who joined since is seen', async () => {
  const route = declared().find((r) => r.kind === 'command' && r.audience.where === 'members' && !r.audience.roles)!;
  const joined: ConversationSpec = { id: '19:joined-later@thread.v2', type: 'groupChat' };
  await expectRuns(route, asRole.secretariaat, joined);
  bot.connector.addToRoster(joined.id, stranger);
  const now = Date.now;
  const later = jest.spyOn(Date, 'now').mockImplementation(() => now() + 61_000);
  try {
    const { said, card } = await use(route, asRole.secretariaat, joined);
    const notEveryone = route.words.notEveryone?.(nl) ?? core('guard.notEveryone');
    expect({ route: route.name, card, said: said.includes(notEveryone) }).toEqual({ route: route.name, card: false, said: true });
  } finally {
    later.mockRestore();
  }
});

describe('the core\'s own sentences, for routes that declare none', () => {
  const member = { tenantId: TENANT, aadObjectId: 'aeaeaeae-0000-4000-8000-000000000077', name: 'Wil Wethouder', organisationId: 'huizen', role: 'wethouder' } as Member;
  const turnIn = (conversationType: 'personal' | 'groupChat'): MemberTurn =>
    ({ context: { activity: { conversation: { id: 'c', conversationType } } }, member, locale: nl, args: '' }) as unknown as MemberTurn;
  const roomSaying = (verdict: RoomVerdict) => ({ verdict: async () => verdict }) as unknown as Room;

  it('says the core\'s sentence for a role, personal chat only, not everyone and an unknown roster', async () => {
    const shared = turnIn('groupChat');
    expect(await refusalFor(roomSaying('yes'), shared, { where: 'members', roles: ['secretariaat'] })).toBe(core('error.notAllowed'));
    expect(await refusalFor(roomSaying('yes'), shared, { where: 'members', roles: ['secretariaat', 'gespreksleider'] })).toBe(core('guard.notForRole'));
    expect(await refusalFor(roomSaying('yes'), shared, { where: 'members', roles: ['gespreksleider'] })).toBe(core('guard.notForRole'));
    expect(await refusalFor(roomSaying('yes'), shared, { where: 'personal' })).toBe(core('guard.personalOnly'));
    expect(await refusalFor(roomSaying('no'), shared, { where: 'members' })).toBe(core('guard.notEveryone'));
    expect(await refusalFor(roomSaying('unknown'), shared, { where: 'members' })).toBe(core('room.unknown'));
    expect(await refusalFor(roomSaying('yes'), shared, { where: 'members', roles: ['wethouder'] })).toBeUndefined();
    expect(await refusalFor(roomSaying('no'), turnIn('personal'), { where: 'members' })).toBeUndefined();
  });
});
