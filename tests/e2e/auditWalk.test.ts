// The audit proof: every change the secretariaat can make (each secretariaat verb of the authorization
// matrix) leaves exactly one row in the logboek, with who did it, what, on what, and before and after.
import { auditSentence, AuditLog, SYSTEM_ACTORS, type AuditEntry } from '../../src/core/audit';
import { catalogs } from '../../src/i18n';
import { SessionStore } from '../../src/features/sessions/store';
import type { Member } from '../../src/identity';
import { people, startTestBot, TENANT, type TestBot } from '../helpers/harness';

// Each walk makes many turns (every route, every step); on a busy machine that takes a while.
jest.setTimeout(120_000);

let bot: TestBot;
let admin: Member;
const wethouder = { aadObjectId: 'adadadad-0000-4000-8000-000000000001', name: 'Wies Wethouder' };
const applicant = { aadObjectId: 'adadadad-0000-4000-8000-000000000002', name: 'Aart Aanvrager' };
const PLAN_CSV = 'naam;gemeente;totaal;sociale huur;middenhuur;betaalbare koop;overig;fase\nAuditplan;Huizen;60;20;20;10;10;initiatief\n';

/**
 * How a verb's row must look: a creation has only an "after", a removal only a "before" (and an erasure
 * neither: what was erased may not stay in the logboek); every other change has both.
 */
type Kind = 'creates' | 'changes' | 'removes' | 'erases';

interface Step {
  /** The secretariaat verb (or command) of the authorization matrix this step stands for. */
  verb: string;
  action: string;
  kind: Kind;
  /** A change in another capability the verb also makes (and records there), e.g. a placed dilemma's status. */
  alsoChanges?: string;
  run(): Promise<unknown>;
}

const seen = new Set<string>();
async function newRows(): Promise<AuditEntry[]> {
  const rows: AuditEntry[] = [];
  for await (const e of bot.app.services.audit.all()) if (!seen.has(e.id)) rows.push(e);
  rows.forEach((r) => seen.add(r.id));
  return rows;
}

let meetingId = '';
let itemId = '';
let dilemmaId = '';
let sessionId = '';
let planId = '';
const target = { tenantId: TENANT, aadObjectId: applicant.aadObjectId };

const sessionForm = (title: string) => ({
  series: 'themasessie', title, description: 'Proef.', date: '2027-06-10', startTime: '10:00', endTime: '12:00', deadlineDate: '2027-06-03',
  location: 'Regiokantoor', hostOrganisation: 'Regio', facilitatorName: 'Extern', facilitator: '', capacity: '10', audience: ['wethouder'],
});

const steps: Step[] = [
  { verb: 'agendaNewMeeting', action: 'meeting.created', kind: 'creates', run: async () => (meetingId = (await bot.app.services.agenda.createMeeting(admin, new Date(Date.now() + 30 * 86_400_000), 'Regiokantoor')).id) },
  {
    verb: 'agendaSaveItem', action: 'agenda.itemAdded', kind: 'creates',
    run: async () => {
      const result = await bot.app.services.agenda.saveItem(admin, meetingId, undefined, { type: 'bespreking', title: 'Woondeal', summary: '', submittedBy: '', links: [] });
      if (result.status !== 'saved') throw new Error('item not saved');
      itemId = result.meeting.items.find((i) => i.title === 'Woondeal')!.id;
    },
  },
  { verb: 'agendaSaveItem', action: 'agenda.itemChanged', kind: 'changes', run: () => bot.app.services.agenda.saveItem(admin, meetingId, itemId, { type: 'besluitvorming', title: 'Woondeal MRA', summary: '', submittedBy: '', links: [] }) },
  {
    verb: 'agendaPlace', action: 'agenda.itemAdded', kind: 'creates', alsoChanges: 'dilemma.statusChanged',
    run: async () => {
      const author = (await bot.app.services.members.resolve({ tenantId: TENANT, aadObjectId: wethouder.aadObjectId, name: '' }))!;
      const { dilemma } = (await bot.app.services.dilemmas.create(
        author,
        { title: 'Netcongestie', description: 'Geen aansluiting.', theme: 'netcongestie', municipalities: ['huizen'], relatedPlan: '', visibility: 'members', wantsAgenda: true },
        'audit-walk-dilemma',
      )) as { dilemma: { id: string } };
      dilemmaId = dilemma.id;
      await newRows(); // the wethouder's dilemma is not the secretariaat's change
      await bot.app.services.agenda.place(admin, meetingId, 'dilemmas', dilemmaId);
    },
  },
  { verb: 'agendaMoveItem', action: 'agenda.itemMoved', kind: 'changes', run: () => bot.app.services.agenda.moveItem(admin, meetingId, itemId, 'down') },
  { verb: 'agendaRemoveItem', action: 'agenda.itemRemoved', kind: 'removes', run: () => bot.app.services.agenda.removeItem(admin, meetingId, itemId) },
  { verb: 'agendaFix', action: 'agenda.fixed', kind: 'changes', run: () => bot.app.services.agenda.fix(admin, meetingId) },
  { verb: 'dilemmaStatus', action: 'dilemma.statusChanged', kind: 'changes', run: () => bot.app.services.dilemmas.setStatus({ member: admin, shared: false }, dilemmaId, 'besproken', 'Afspraak gemaakt.') },
  {
    verb: 'file upload (plan list)', action: 'plans.imported', kind: 'creates',
    run: async () => {
      await bot.app.services.plans.importFile(admin, Buffer.from(PLAN_CSV, 'utf8'));
      planId = (await bot.app.services.plans.list(admin)).plans.find((p) => p.name === 'Auditplan')!.id;
    },
  },
  {
    verb: 'planSave', action: 'plan.updated', kind: 'changes',
    run: async () => {
      const plan = await bot.app.services.plans.get(admin, planId);
      await bot.app.services.plans.update(admin, {
        id: planId, revision: plan.revision, phase: 'haalbaarheid', total: '60', socialRent: '20', midRent: '20', affordablePurchase: '10', other: '10', startConstruction: '', delivery: '',
      });
    },
  },
  {
    verb: 'sessionSave', action: 'session.created', kind: 'creates',
    run: async () => {
      const created = await bot.app.services.sessions.create(admin, sessionForm('Auditsessie'), 'audit-walk-session');
      if (created.status !== 'saved') throw new Error(`session not created: ${JSON.stringify(created)}`);
      sessionId = created.session.id;
    },
  },
  { verb: 'sessionSave', action: 'session.edited', kind: 'changes', run: () => bot.app.services.sessions.edit(admin, sessionId, sessionForm('Auditsessie, nieuwe titel')) },
  { verb: 'sessionSignUpState', action: 'session.signUpClosed', kind: 'changes', run: () => bot.app.services.sessions.setSignUpOpen(admin, sessionId, false) },
  { verb: 'sessionSignUpState', action: 'session.signUpOpened', kind: 'changes', run: () => bot.app.services.sessions.setSignUpOpen(admin, sessionId, true) },
  {
    verb: 'sessionAttendance', action: 'session.attendance', kind: 'changes',
    run: async () => {
      const author = (await bot.app.services.members.resolve({ tenantId: TENANT, aadObjectId: wethouder.aadObjectId, name: '' }))!;
      await bot.app.services.sessions.signUp(author, sessionId);
      // The session has begun: move it an hour into the past in storage, as time would.
      const store = new SessionStore(bot.app.tables);
      const found = (await store.getSession(sessionId))!;
      const hourAgo = Date.now() - 3_600_000;
      await store.commit({ value: { ...found.value, startsAt: new Date(hourAgo).toISOString(), endsAt: new Date(hourAgo + 7_200_000).toISOString() }, etag: found.etag }, []);
      await bot.app.services.sessions.setAttendance(admin, sessionId, [`${TENANT}|${wethouder.aadObjectId}`]);
    },
  },
  { verb: 'sessionOpbrengst', action: 'session.opbrengst', kind: 'changes', run: () => bot.app.services.sessions.recordOpbrengst(admin, sessionId, 'Vroeg samen rekenen helpt.') },
  {
    verb: 'sessionCancel', action: 'session.cancelled', kind: 'changes',
    run: async () => {
      const created = await bot.app.services.sessions.create(admin, sessionForm('Te annuleren'), 'audit-walk-cancel');
      if (created.status !== 'saved') throw new Error('session not created');
      await newRows(); // its creation was asserted above
      await bot.app.services.sessions.cancelSession(admin, created.session.id);
    },
  },
  {
    verb: 'decideAccess', action: 'access.approved', kind: 'changes',
    run: async () => {
      await bot.app.services.members.requestAccess({ ...target, name: applicant.name }, { organisationId: 'huizen', role: 'wethouder' });
      await bot.app.services.members.decide(admin, target, 'approved');
    },
  },
  { verb: 'changeRole', action: 'member.roleChanged', kind: 'changes', run: () => bot.app.services.members.changeRole(admin, target, 'directeur-bestuurder') },
  { verb: 'removeMember', action: 'member.removed', kind: 'removes', run: () => bot.app.services.members.removeMember(admin, target) },
  { verb: 'privacyEraseMember', action: 'privacy.erased.secretariaat', kind: 'erases', run: () => bot.app.services.privacy.eraseAll(target, admin, 'secretariaat') },
];

beforeAll(async () => {
  bot = await startTestBot();
  await bot.app.services.members.seed([{ tenantId: TENANT, aadObjectId: wethouder.aadObjectId, name: wethouder.name, organisationId: 'huizen', role: 'wethouder' }]);
  await bot.say(people.admin, 'help');
  admin = (await bot.app.services.members.resolve({ tenantId: TENANT, aadObjectId: people.admin.aadObjectId, name: '' }))!;
  await newRows();
});
afterAll(async () => {
  await bot.stop();
});

it('records each secretariaat change once, with who, what, on what, before and after', async () => {
  for (const step of steps) {
    await step.run();
    const rows = await newRows();
    const expected = [step.action, ...(step.alsoChanges ? [step.alsoChanges] : [])].sort();
    expect({ verb: step.verb, actions: rows.map((r) => r.action).sort() }).toEqual({ verb: step.verb, actions: expected });
    for (const other of rows.filter((r) => r.action !== step.action)) {
      expect({ verb: step.verb, action: other.action, actor: other.actor.aadObjectId, before: other.before !== undefined, after: other.after !== undefined }).toEqual({
        verb: step.verb, action: other.action, actor: people.admin.aadObjectId, before: true, after: true,
      });
    }
    const row = rows.find((r) => r.action === step.action);
    expect({ verb: step.verb, actor: row!.actor }).toEqual({ verb: step.verb, actor: { tenantId: TENANT, aadObjectId: people.admin.aadObjectId, name: admin.name } });
    expect({ verb: step.verb, target: row!.target.length > 0 }).toEqual({ verb: step.verb, target: true });
    const wants = { before: step.kind === 'changes' || step.kind === 'removes', after: step.kind === 'changes' || step.kind === 'creates' };
    const has = { before: row!.before !== undefined && row!.before !== null, after: row!.after !== undefined && row!.after !== null };
    expect({ verb: step.verb, action: step.action, ...has }).toEqual({ verb: step.verb, action: step.action, ...wants });
    // Every row reads as a sentence in both languages, naming who did it (not a code such as agenda.fixed).
    for (const r of rows) {
      for (const locale of ['nl', 'en'] as const) {
        const sentence = auditSentence(r, locale, bot.app.services.auditWords);
        expect({ verb: step.verb, action: r.action, locale, names: sentence.startsWith(admin.name), code: sentence.includes(r.action) }).toEqual({
          verb: step.verb, action: r.action, locale, names: true, code: false,
        });
      }
    }
    if (step.kind === 'changes') expect({ verb: step.verb, same: JSON.stringify(row!.before) === JSON.stringify(row!.after) }).toEqual({ verb: step.verb, same: false });
  }
});

it('tells the logboek in Dutch with names and dates, and downloads it in Amsterdam time', async () => {
  const [log] = await bot.say(people.admin, 'logboek');
  const text = JSON.stringify(log);
  const date = new Intl.DateTimeFormat('nl-NL', { timeZone: 'Europe/Amsterdam', day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(`${meetingId.slice(3)}T12:00:00Z`));
  const fixed = (await bot.app.services.audit.page(100)).entries.find((e) => e.action === 'agenda.fixed')!;
  expect(auditSentence(fixed, 'nl', bot.app.services.auditWords)).toBe(`${admin.name} heeft de agenda van ${date} vastgesteld.`);
  expect(text).toContain(`${admin.name} heeft de functie van ${applicant.name} gewijzigd van wethouder in directeur-bestuurder.`);
  // Aart was removed before his data was erased: the row says so, without his ids.
  expect(text).toContain(`${admin.name} heeft de gegevens gewist van iemand die geen lid meer was.`);
  expect(text).toContain(`${admin.name} heeft het aanmelden gesloten voor: Auditsessie, nieuwe titel.`);
  expect(text).not.toContain('agenda.fixed');
  expect(text).not.toContain(applicant.aadObjectId);
  expect(text).toContain('Wie de link heeft, kan het logboek zo lang ophalen');
  const url = JSON.parse(text.match(/"url":("[^"]+\/audit\/export[^"]*")/)![1]!) as string;
  const csv = await (await fetch(url)).text();
  const [header, newest] = csv.replace(/^\uFEFF/, '').split('\r\n');
  expect(header).toBe('"Datum en tijd";"Wie";"Wat er gebeurde";"Onderdeel";"Code";"Waarop";"Voor";"Na"');
  const newestRow = (await bot.app.services.audit.page(1)).entries[0]!;
  const local = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Amsterdam', dateStyle: 'short', timeStyle: 'medium' }).format(new Date(newestRow.at));
  expect(newest!.startsWith(`"${local}";"${admin.name}";"${admin.name} heeft de gegevens gewist van iemand die geen lid meer was."`)).toBe(true);
});

describe('the logboek as a person reads it', () => {
  const entry = (fields: Partial<AuditEntry> & Pick<AuditEntry, 'action' | 'target'>): AuditEntry => ({
    id: 'x', at: '2027-01-27T09:00:00.000Z', actor: { tenantId: TENANT, aadObjectId: people.admin.aadObjectId, name: admin.name }, capability: 'test', before: undefined, after: undefined, ...fields,
  });
  const nl = (e: AuditEntry) => auditSentence(e, 'nl', bot.app.services.auditWords);

  it('names changes nobody typed in words, says the numbers and names a removed item by its title', () => {
    // The plan list read from the command line: BO Wonen's own words, never "system:import"; the counts as they were.
    const imported = nl(entry({ actor: SYSTEM_ACTORS.import, action: 'plans.imported', target: 'planlijst', after: { created: 3, changed: 2, rejected: 1 } }));
    expect(imported).toBe(`${catalogs.nl['audit.actor.import']} heeft de planlijst ingelezen: 3 nieuw, 2 gewijzigd, 1 afgekeurd.`);
    // The demo data `npm start` puts in an empty store: likewise in words.
    const demo = nl(entry({ actor: SYSTEM_ACTORS.demo, action: 'agenda.fixed', target: 'BO-2027-01-27', before: { status: 'gepland' }, after: { status: 'vastgesteld' } }));
    expect(demo.startsWith(`${catalogs.nl['audit.actor.demo']} heeft de agenda van`)).toBe(true);
    expect(nl(entry({ action: 'session.attendance', target: 'S-001', subject: 'Themasessie', before: { attended: 0, of: 6 }, after: { attended: 4, of: 6 } }))).toContain('(4 van 6)');
    // Taken off the agenda: only a "before" is kept, and the sentence names the item from it.
    expect(nl(entry({ action: 'agenda.itemRemoved', target: 'BO-2027-01-27', before: { title: 'Woondeal MRA', place: 2 } }))).toContain(': Woondeal MRA.');
  });

  it('shows a row whose action has no sentence any more by its code, instead of failing', () => {
    expect(nl(entry({ action: 'plan.renamedLongAgo', target: 'P-0001' }))).toBe('Wijziging plan.renamedLongAgo op P-0001.');
  });

  it('keeps what changed by its name, shows the newest change first a page at a time, and cuts what is too long', async () => {
    let now = new Date('2099-01-01T10:00:00.000Z');
    const log = new AuditLog(bot.app.tables, () => now);
    const actor = { tenantId: TENANT, aadObjectId: people.admin.aadObjectId, name: admin.name };
    const long = 'x'.repeat(20_000);
    const fits = 'y'.repeat(15_998); // 16,000 characters as JSON: the most that is kept whole
    for (const [minute, before] of [[1, fits], [2, long], [3, 'kort']] as const) {
      now = new Date(`2099-01-01T10:0${minute}:00.000Z`);
      await log.record({ actor, capability: 'plans', action: 'plan.updated', target: `P-209${minute}`, subject: `Plan ${minute}`, before, after: 'nieuw' });
    }
    const first = await log.page(2);
    expect(first.entries.map((e) => [e.target, e.subject])).toEqual([['P-2093', 'Plan 3'], ['P-2092', 'Plan 2']]);
    expect(first.more).toBe(true);
    expect(first.entries[1]!.before).toEqual({ cut: true, start: JSON.stringify(long).slice(0, 16_000) });
    const next = await log.page(2, first.entries[1]!.id);
    // The next page goes on after the last row shown: the oldest of the three, then older rows.
    expect(next.entries[0]!.target).toBe('P-2091');
    expect(next.entries[0]!.before).toBe(fits);
  });

  it('fails a test that records an action without a logboek sentence', async () => {
    const actor = { tenantId: TENANT, aadObjectId: people.admin.aadObjectId, name: admin.name };
    await expect(bot.app.services.audit.record({ actor, capability: 'plans', action: 'plan.madeUp', target: 'P-0001' })).rejects.toThrow('no logboek sentence');
  });
});
