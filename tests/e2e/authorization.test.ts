// The authorization matrix: every command and card verb of every capability (walked from the list) tried as
// each role, as a stranger from an allowed tenant and as someone from a foreign tenant; each outcome asserted.
import { ROLES, type Role } from '../../src/identity';
import { catalogs } from '../../src/i18n';
import { buttonsOf, cardOf, channel, OTHER_TENANT, people, personalChat, readable, startTestBot, TENANT, type TestBot, type TestUser } from '../helpers/harness';

let bot: TestBot;
const asRole = Object.fromEntries(
  ROLES.map((role, i) => [role, { aadObjectId: `acacacac-0000-4000-8000-00000000000${i + 1}`, name: `Lid ${role}` } as TestUser]),
) as Record<Role, TestUser>;
const stranger: TestUser = { aadObjectId: 'acacacac-0000-4000-8000-000000000099', name: 'Stijn Vreemd' };
const foreigner: TestUser = { aadObjectId: 'acacacac-0000-4000-8000-000000000098', name: 'Eve Buiten', tenantId: OTHER_TENANT };

beforeAll(async () => {
  bot = await startTestBot();
  await bot.app.services.members.seed(
    ROLES.map((role) => ({ tenantId: TENANT, aadObjectId: asRole[role].aadObjectId, name: asRole[role].name, organisationId: 'huizen', role })),
  );
  for (const u of [people.admin, ...Object.values(asRole)]) await bot.say(u, 'help');
});
afterAll(async () => {
  await bot.stop();
});

/** Every sentence a refusal can have, from the capabilities' declared refusals and the core. */
function refusalSentences(): string[] {
  const out = [catalogs.nl['error.notAllowed'], catalogs.nl['guard.notForRole']];
  for (const b of bot.app.built) {
    const own = b.capability.messages.nl as Record<string, string>;
    for (const key of Object.values(b.capability.refusals?.declared ?? {})) out.push(own[key] ?? catalogs.nl[key as keyof typeof catalogs.nl]);
  }
  return out.filter(Boolean).map((s) => s.replace(/\{\w+\}.*$/, ''));
}

/**
 * The commands and which roles each is meant for (no roles: every member): its menu button's roles, else the
 * audience it declares (the core applies that before the handler runs).
 */
function commandMatrix(): Array<[string, readonly Role[] | undefined]> {
  const menuRoles = new Map(bot.app.routes.flatMap((r) => (r.menu ?? []).map((m) => [m.command, m.roles] as const)));
  return bot.app.routes.flatMap((r) =>
    (r.commands ?? []).map((c) => [c.words[0]!, menuRoles.get(c.words[0]!) ?? (c.audience ?? r.audience).roles] as [string, readonly Role[] | undefined]),
  );
}

it('answers every command for each role as its menu says: content for the roles it is for, a refusal for others', async () => {
  const refusals = refusalSentences();
  for (const [word, roles] of commandMatrix()) {
    for (const role of ROLES) {
      const replies = await bot.say(asRole[role], word);
      const said = replies.map(readable).join('\n');
      const allowed = !roles || roles.includes(role);
      expect({ word, role, apology: /Sorry, er ging iets mis/.test(said) }).toEqual({ word, role, apology: false });
      if (allowed) {
        expect({ word, role, refused: refusals.some((r) => said.startsWith(r)) }).toEqual({ word, role, refused: false });
      } else {
        expect({ word, role, card: replies.some((r) => cardOf(r)) }).toEqual({ word, role, card: false });
        expect({ word, role, refused: refusals.some((r) => said.startsWith(r)) }).toEqual({ word, role, refused: true });
      }
    }
  }
});

it('shows a stranger from an allowed tenant only the way to ask for access, for every command and verb', async () => {
  const verbs = bot.app.routes.flatMap((r) => (r.actions ?? []).map((a) => a.verb));
  for (const [word] of commandMatrix()) {
    const said = readable((await bot.say(stranger, word))[0]);
    expect({ word, said: /Toegang aanvragen|nog in behandeling/.test(said) }).toEqual({ word, said: true });
  }
  for (const verb of verbs) {
    const said = readable((await bot.submit(stranger, { verb, id: 'D-2026-001', target: { tenantId: TENANT, aadObjectId: people.admin.aadObjectId } }))[0]);
    expect({ verb, said: /Toegang aanvragen|nog in behandeling/.test(said) }).toEqual({ verb, said: true });
  }
  // In a channel, a stranger is sent to the personal chat; no form in front of everyone.
  const [inChannel] = await bot.say(stranger, '<at>BO Wonen</at> help', channel);
  expect(readable(inChannel)).toContain('persoonlijke chat');
});

it('gives someone from a foreign tenant one refusal for every command, verb and invoke, and stores nothing', async () => {
  const verbs = bot.app.routes.flatMap((r) => [...(r.actions ?? []), ...(r.openActions ?? [])].map((a) => a.verb));
  const executes = bot.app.routes.flatMap((r) => (r.executes ?? []).map((e) => e.verb));
  const tables = ['Members', 'AccessRequests', 'Conversations', ...bot.app.built.flatMap((b) => b.capability.tables)];
  const count = async () => Promise.all([...new Set(tables)].map(async (t) => { let n = 0; for await (const _ of bot.app.tables.client(t).listEntities()) n++; return n; }));
  const before = await count();
  for (const [word] of commandMatrix()) {
    expect((await bot.say(foreigner, word)).map((r) => r.activity.text)).toEqual([catalogs.nl['refused.tenant']]);
  }
  for (const verb of verbs) {
    expect((await bot.submit(foreigner, { verb, organisationId: 'huizen', role: 'wethouder' })).map((r) => r.activity.text)).toEqual([catalogs.nl['refused.tenant']]);
  }
  for (const verb of executes) {
    const result = await bot.post(bot.activity(foreigner, personalChat(foreigner), { type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb, data: { id: 'D-2026-001' } } } }));
    expect(result.status).toBe(200);
    expect(result.body).toContain('alleen voor de deelnemers');
  }
  expect(await count()).toEqual(before);
});

it('refuses the secretariaat-only card actions to every other role, with valid data, and changes nothing', async () => {
  const target = { tenantId: TENANT, aadObjectId: asRole.wethouder.aadObjectId };
  const [form] = await bot.say(asRole.wethouder, 'dilemma');
  const submissionId = String(buttonsOf(form).find((b) => b.data.verb === 'dilemmaSave')!.data.submissionId);
  const saved = await bot.submit(asRole.wethouder, {
    verb: 'dilemmaSave', submissionId, title: 'Matrix', description: 'Test van rechten.', theme: 'overig',
    municipalities: 'huizen', relatedPlan: '', visibility: 'members', wantsAgenda: 'true',
  });
  const id = /D-\d{4}-\d{3}/.exec(readable(saved[0]))![0];
  const secretariaatOnly: Array<Record<string, unknown>> = [
    { verb: 'changeRole', target, role: 'secretariaat' },
    { verb: 'removeMember', target },
    { verb: 'decideAccess', target, decision: 'approved', from: 'notice' },
    { verb: 'dilemmaStatus', id, status: 'geagendeerd', outcome: '' },
    { verb: 'privacyEraseMember', target },
    { verb: 'auditPage' },
    { verb: 'decisionRecord', meetingId: 'BO-2026-03-02', decisionItem: 'abcdef12', decisionKind: 'besluit', decisionText: 'Ingebroken', decisionOwner: '', decisionDue: '' },
    { verb: 'decisionDocument', meetingId: 'BO-2026-03-02', anonymous: false },
    { verb: 'agreementEdit', id: 'A-0000000000' },
    { verb: 'agreementChange', id: 'A-0000000000', agreementOwner: 'o:huizen', agreementDue: '2026-05-01' },
  ];
  for (const role of ROLES.filter((r) => r !== 'secretariaat')) {
    for (const value of secretariaatOnly) {
      const said = (await bot.submit(asRole[role], value)).map(readable).join('\n');
      expect({ role, verb: value.verb, said }).toEqual({ role, verb: value.verb, said: expect.stringMatching(/Dit mag alleen het secretariaat|Dilemma's zijn voor|bestaat niet/) });
    }
  }
  expect((await bot.app.services.members.resolve({ ...target, name: '' }))!.role).toBe('wethouder');
  const detail = readable((await bot.say(asRole.wethouder, `dilemma ${id}`))[0]);
  expect(detail).toContain('nieuw');
});
