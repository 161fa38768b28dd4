// Sessions end to end over real HTTP, with two bot instances on one store: the secretariaat creates a session,
// two members race for the last seat, the loser is promoted when the winner cancels, calendar and CSV links,
// reminders once, and forged or stale submits.
import { startTestBot, personalChat, channel, cardOf, readable, buttonsOf, TENANT, testTablePrefix, people, type TestBot, type TestUser } from '../helpers/harness';
import { literal } from '../../src/cards/markdown';
import { MESSAGE_BUDGET_BYTES, utf16Bytes } from '../../src/cards/budget';
import type { Recorded } from '../helpers/connector';
import { cardProblems } from '../helpers/cards';
import { Links } from '../../src/core/links';
import { SessionStore } from '../../src/features/sessions/store';
import type { Role } from '../../src/identity';

const SECRET = 'test-secret-for-session-links-0123456789';
let botA: TestBot;
let botB: TestBot;

const user = (n: number, name: string): TestUser => ({ aadObjectId: `cccccccc-0000-4000-8000-${String(n).padStart(12, '0')}`, name });
const secretary = people.admin;
const marieke = user(1, 'Marieke Eerst');
const joost = user(2, 'Joost Tweede');
const fatima = user(3, 'Fatima Derde');
const linda = user(4, 'Linda Leider');

beforeAll(async () => {
  const shared = { TABLE_PREFIX: testTablePrefix(), LINK_SIGNING_SECRET: SECRET };
  botA = await startTestBot(shared);
  botB = await startTestBot(shared);
  const seed = (u: TestUser, role: Role, organisationId: string) =>
    botA.app.services.members.seed([{ tenantId: TENANT, aadObjectId: u.aadObjectId, name: u.name, organisationId, role }]);
  await seed(marieke, 'wethouder', 'hilversum');
  await seed(joost, 'wethouder', 'huizen');
  await seed(fatima, 'directeur-bestuurder', 'dudok-wonen');
  await seed(linda, 'gespreksleider', 'regio-gooi-en-vechtstreek');
  // Each has talked to the bot once (Marieke and Linda on A, the others on B), so it can reach them.
  for (const u of [secretary, marieke, linda]) await botA.say(u, 'help');
  for (const u of [joost, fatima]) await botB.say(u, 'help');
}, 60_000);
afterAll(async () => {
  await botA?.stop();
  await botB?.stop();
});


/** The bot's answer in the chat of the person who acted (notices to others may come in between). */
const answerTo = (u: TestUser, replies: Recorded[]) => replies.find((r) => r.conversationId === personalChat(u).id);

function expectValidCard(r: Recorded | undefined) {
  expect(cardOf(r)).toBeDefined();
  expect(cardProblems(cardOf(r))).toEqual([]);
}

function openUrls(r: Recorded | undefined): string[] {
  const out: string[] = [];
  JSON.stringify(cardOf(r), (k, v: unknown) => {
    if (v && typeof v === 'object' && (v as { type?: string }).type === 'Action.OpenUrl') out.push(String((v as { url: string }).url));
    return v;
  });
  return out;
}

/** Fetches a bot link from a given instance (the link names the configured base; the test bots listen on port 0). */
async function fetchLink(url: string, bot: TestBot): Promise<Response> {
  const u = new URL(url);
  return fetch(`http://127.0.0.1:${bot.app.port}${u.pathname}${u.search}`);
}

const form = (submissionId: string, extra: Record<string, unknown> = {}) => ({
  verb: 'sessionSave',
  submissionId,
  series: 'themasessie',
  title: 'Themasessie: sneller van plan naar bouw',
  description: 'Met het Expertteam Woningbouw.',
  date: '2027-04-15',
  startTime: '10:00',
  endTime: '12:00',
  deadlineDate: '2027-04-08',
  location: 'Regiokantoor, BO-zaal',
  hostOrganisation: 'Regio Gooi en Vechtstreek',
  facilitatorName: 'RVO / Expertteam Woningbouw',
  facilitator: `${TENANT}|${linda.aadObjectId}`,
  capacity: '1',
  audience: 'wethouder,directeur-bestuurder',
  ...extra,
});

let sessionId = '';
/** Whoever holds the seat after the race and the cancellation. */
let seated: TestUser = marieke;

describe('the secretariaat', () => {
  it('opens the form from "sessies", gets clear answers for bad input, and creates a session', async () => {
    const [list] = await botA.say(secretary, 'sessies');
    expectValidCard(list);
    const create = buttonsOf(list).find((b) => b.data.verb === 'sessionNew');
    expect(create).toBeDefined();
    const [formReply] = await botA.submit(secretary, create!.data);
    expectValidCard(formReply);
    expect(readable(formReply)).toContain('Linda Leider');
    const submissionId = String(buttonsOf(formReply).find((b) => b.data.verb === 'sessionSave')!.data.submissionId);

    const [bad] = await botA.submit(secretary, form(submissionId, { capacity: '-4', endTime: '09:00', title: 'x'.repeat(200_000) }), { replyToId: 'form-1' });
    expect(bad!.method).toBe('PUT');
    expectValidCard(bad);
    expect(readable(bad)).toContain('Er is minstens 1 plaats nodig.');
    expect(readable(bad)).toContain('De eindtijd moet na de begintijd liggen.');
    expect(readable(bad)).toContain('Dit is te lang.');

    const [saved] = await botA.submit(secretary, form(submissionId), { replyToId: 'form-1' });
    expectValidCard(saved);
    sessionId = /S-\d{3}/.exec(readable(saved))?.[0] ?? '';
    expect(readable(saved)).toContain(`De sessie ${sessionId} "Themasessie: sneller van plan naar bouw" staat klaar.`);
    const { entries } = await botB.app.services.audit.page(20);
    expect(entries).toContainEqual(expect.objectContaining({ capability: 'sessions', action: 'session.created', target: sessionId }));
  });

  it('refuses a member who presses the secretariaat\'s buttons', async () => {
    const [answer] = await botA.submit(marieke, { verb: 'sessionCancel', sessionId });
    expect(readable(answer)).toBe('Dit mag alleen het secretariaat.');
    const [edit] = await botA.submit(marieke, { ...form('abcdefgh-forged'), editId: sessionId, capacity: '50' });
    expect(readable(edit)).toBe('Dit mag alleen het secretariaat.');
    expect((await botA.app.services.sessions.get(sessionId)).capacity).toBe(1);
  });
});

describe('two members and the last seat', () => {
  it('shows the session with its seats, and the buttons', async () => {
    const [list] = await botB.say(joost, 'sessies');
    expectValidCard(list);
    const text = readable(list);
    expect(text).toContain('Themasessie: sneller van plan naar bouw');
    expect(text).toContain('donderdag 15 april 2027, 10:00–12:00');
    expect(text).toContain('Nog 1 van 1 plaats vrij');
    expect(buttonsOf(list).map((b) => b.title)).toContain('Aanmelden');
    expect(openUrls(list).some((u) => u.includes('/sessions/calendar?'))).toBe(true);
  });

  it('gives the seat to one of two pressing at once on two instances, and the other a waiting place', async () => {
    const press = { verb: 'sessionSignUp', sessionId, list: 'upcoming' };
    const [m, j] = await Promise.all([
      botA.submit(marieke, press, { replyToId: 'list-m' }),
      botB.submit(joost, press, { replyToId: 'list-j' }),
    ]);
    const answers = [readable(m[0]), readable(j[0])];
    expect(answers.filter((a) => a.includes('Je bent aangemeld voor'))).toHaveLength(1);
    expect(answers.filter((a) => a.includes('Je staat op de wachtlijst: plaats 1.'))).toHaveLength(1);
    expectValidCard(m[0]);
    // The answer is where the person looks: in the pressed session's block, just above its buttons, not on top.
    for (const reply of [m[0], j[0]]) {
      const body = (cardOf(reply) as { body: Array<Record<string, unknown>> }).body;
      const answer = readable(reply).split('\n').find((line) => /Je bent aangemeld voor|wachtlijst: plaats 1/.test(line))!;
      expect(body.filter((e) => e.type === 'TextBlock').map((e) => e.text)).not.toContain(answer);
      const block = body.find((e) => e.type === 'Container' && JSON.stringify(e).includes('Themasessie: sneller van plan naar bouw')) as { items: Array<Record<string, unknown>> };
      const at = block.items.findIndex((e) => JSON.stringify(e).includes(JSON.stringify(answer).slice(1, -1)));
      expect(block.items.slice(at + 1).map((e) => e.type)).toEqual(['ActionSet']);
    }
    // The card everyone sees right afterwards says the session is full.
    const [list] = await botB.say(fatima, 'sessies');
    expect(readable(list)).toContain('Vol: 1 plaats bezet, 1 op de wachtlijst');
  });

  it('promotes the one waiting, and tells them in their own chat, when the other cancels', async () => {
    const attendees = await botA.app.services.sessions.attendees(
      (await botA.app.services.members.resolve({ tenantId: TENANT, ...secretary }))!,
      sessionId,
    );
    const [winner, waiting] = [attendees.confirmed[0]!, attendees.waiting[0]!];
    const winnerUser = [marieke, joost].find((u) => u.aadObjectId === winner.aadObjectId)!;
    const waitingUser = [marieke, joost].find((u) => u.aadObjectId === waiting.aadObjectId)!;
    seated = waitingUser;
    const from = { a: botA.connector.records.length, b: botB.connector.records.length };
    const answer = answerTo(winnerUser, await botA.submit(winnerUser, { verb: 'sessionCancelSignUp', sessionId, list: 'upcoming' }));
    expect(readable(answer)).toContain('Je bent afgemeld voor "Themasessie: sneller van plan naar bouw".');
    const notices = [...botA.connector.records.slice(from.a), ...botB.connector.records.slice(from.b)].filter(
      (r) => r.conversationId === personalChat(waitingUser).id,
    );
    expect(notices).toHaveLength(1);
    expect(readable(notices[0])).toContain('Goed nieuws: er is een plaats vrij');
    expectValidCard(notices[0]);
    const [mine] = await botB.say(waitingUser, 'mijn sessies');
    expect(readable(mine)).toContain('Je bent aangemeld.');
  });

  it('signs up only the person who pressed, whatever a forged submit says', async () => {
    const [before] = await botA.say(marieke, 'mijn sessies');
    const [answer] = await botB.submit(fatima, { verb: 'sessionSignUp', sessionId, aadObjectId: marieke.aadObjectId, tenantId: TENANT, name: 'Marieke Eerst' });
    expect(readable(answer)).toContain('Je staat op de wachtlijst: plaats 1.');
    const [after] = await botA.say(marieke, 'mijn sessies');
    expect(readable(after)).toBe(readable(before));
  });

  it('answers unknown sessions, wrong types and a gespreksleider outside the audience clearly', async () => {
    expect(readable((await botA.submit(marieke, { verb: 'sessionSignUp', sessionId: 'S-999' }))[0])).toBe('Dit bestaat niet (meer). Open het menu opnieuw.');
    expect(readable((await botA.submit(marieke, { verb: 'sessionSignUp', sessionId: 42 }))[0])).toContain('Dit formulier klopt niet of is verlopen');
    expect(readable((await botA.submit(linda, { verb: 'sessionSignUp', sessionId }))[0])).toContain('Deze sessie is niet voor jouw rol.');
  });

  it('keeps "mijn sessies" out of shared chats', async () => {
    const [answer] = await botA.say(marieke, '<at>BO Wonen</at> mijn sessies', channel);
    expect(readable(answer)).toContain('Dit kan alleen in je persoonlijke chat');
    // In a channel the list is everyone's: no one's own place, no management buttons.
    const [mine] = await botA.say(seated, 'sessies');
    expect(readable(mine)).toContain('Je bent aangemeld.');
    const [shared] = await botA.say(seated, '<at>BO Wonen</at> sessies', channel);
    expect(readable(shared)).not.toMatch(/Je bent aangemeld|Je staat op de wachtlijst/);
    const [sharedAdmin] = await botA.say(secretary, '<at>BO Wonen</at> sessies', channel);
    expect(buttonsOf(sharedAdmin).map((b) => b.title)).not.toEqual(expect.arrayContaining(['Bewerken']));
    expect(buttonsOf(sharedAdmin).some((b) => b.data.verb === 'sessionNew' || b.data.verb === 'sessionAttendees')).toBe(false);
  });
});

describe('who is in the room', () => {
  it('shows no sessions, and takes no sign-up, in a shared chat with someone who is not a member', async () => {
    const guests = { id: '19:session-guests@thread.tacv2', type: 'groupChat' as const };
    botA.connector.addToRoster(guests.id, { id: '29:guest', name: 'Gast Collega', aadObjectId: 'cdcdcdcd-0000-4000-8000-000000000009', tenantId: TENANT });
    const [reply] = await botA.say(fatima, '<at>BO Wonen</at> sessies', guests);
    expect(readable(reply)).toContain('ook mensen die geen BO-lid zijn');
    expect(cardOf(reply)).toBeUndefined();
    const before = await botA.app.services.sessions.get(sessionId);
    const [pressed] = await botA.submit(fatima, { verb: 'sessionSignUp', sessionId }, { conversation: guests });
    expect(readable(pressed)).toContain('ook mensen die geen BO-lid zijn');
    expect(await botA.app.services.sessions.get(sessionId)).toEqual(before);
  });
});

describe('closing sign-up', () => {
  it('lets the secretariaat close sign-up early and open it again; a member then gets a clear answer', async () => {
    const [list] = await botA.say(secretary, 'sessies');
    const close = buttonsOf(list).find((b) => b.data.verb === 'sessionSignUpState' && b.data.sessionId === sessionId)!;
    expect(close.title).toBe('Aanmelden sluiten');
    const [closed] = await botA.submit(secretary, close.data, { replyToId: 'list-s' });
    expect(readable(closed)).toContain(`Aanmelden voor ${sessionId} is gesloten.`);
    expect(readable(closed)).toContain('Status: aanmelden gesloten');
    const ruud = user(5, 'Ruud Rest');
    await botB.app.services.members.seed([{ tenantId: TENANT, aadObjectId: ruud.aadObjectId, name: ruud.name, organisationId: 'de-alliantie', role: 'directeur-bestuurder' }]);
    expect(readable((await botB.submit(ruud, { verb: 'sessionSignUp', sessionId }))[0])).toBe('Aanmelden voor deze sessie is gesloten. Wil je toch komen? Vraag het secretariaat.');
    expect(readable((await botB.submit(joost, { verb: 'sessionSignUpState', sessionId, open: true }))[0])).toBe('Dit mag alleen het secretariaat.');
    const reopen = buttonsOf(closed).find((b) => b.data.verb === 'sessionSignUpState' && b.data.sessionId === sessionId)!;
    expect(reopen.title).toBe('Aanmelden openen');
    const [opened] = await botA.submit(secretary, reopen.data, { replyToId: 'list-s' });
    expect(readable(opened)).toContain(`Aanmelden voor ${sessionId} is weer open.`);
  });
});

describe('calendar file', () => {
  const unfold = (ics: string) => ics.replace(/\r\n /g, '');
  const field = (ics: string, name: string) => unfold(ics).split('\r\n').find((l) => l.startsWith(name))?.slice(name.length);

  it('serves an .ics at a signed link, from either instance, with Amsterdam time and a stable UID', async () => {
    const [list] = await botA.say(marieke, 'sessies');
    const url = openUrls(list).find((u) => u.includes('/sessions/calendar?'))!;
    const res = await fetchLink(url, botB);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/calendar');
    const ics = await res.text();
    expect(ics.endsWith('\r\n')).toBe(true);
    expect(unfold(ics)).toMatch(/BEGIN:VTIMEZONE\r\nTZID:Europe\/Amsterdam\r\n[\s\S]*RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU[\s\S]*RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU[\s\S]*END:VTIMEZONE/);
    expect(field(ics, 'DTSTART;TZID=Europe/Amsterdam:')).toBe('20270415T100000');
    expect(field(ics, 'DTEND;TZID=Europe/Amsterdam:')).toBe('20270415T120000');
    expect(field(ics, 'UID:')).toBe(`${sessionId.toLowerCase()}@bo-wonen.gooi-en-vechtstreek`);
    expect(field(ics, 'SEQUENCE:')).toBe('0');
    expect(field(ics, 'SUMMARY:')).toBe('Themasessie: sneller van plan naar bouw');
    expect(field(ics, 'LOCATION:')).toBe('Regiokantoor\\, BO-zaal');
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
  });

  it('answers a tampered link with 404 and an expired one with 410', async () => {
    const base = `http://127.0.0.1:${botA.app.port}`;
    const links = new Links(SECRET, base);
    const good = links.token('session-calendar', { s: sessionId }, 60_000);
    expect((await fetch(`${base}/sessions/calendar?t=${good}`)).status).toBe(200);
    const [payload, sig] = good.split('.');
    const otherSession = Buffer.from(Buffer.from(payload!, 'base64url').toString().replace(sessionId, 'S-777')).toString('base64url');
    expect((await fetch(`${base}/sessions/calendar?t=${otherSession}.${sig}`)).status).toBe(404);
    expect((await fetch(`${base}/sessions/calendar?t=${payload}.${sig!.slice(0, -2)}xx`)).status).toBe(404);
    expect((await fetch(`${base}/sessions/calendar`)).status).toBe(404);
    const wrongSecret = new Links('another-secret-another-secret-123456', base).token('session-calendar', { s: sessionId }, 60_000);
    expect((await fetch(`${base}/sessions/calendar?t=${wrongSecret}`)).status).toBe(404);
    const expired = links.token('session-calendar', { s: sessionId }, -1000);
    expect((await fetch(`${base}/sessions/calendar?t=${expired}`)).status).toBe(410);
    // A calendar token does not open the attendee export, and a signed link to no session finds nothing.
    expect((await fetch(`${base}/sessions/export?t=${good}`)).status).toBe(404);
    expect((await fetch(`${base}/sessions/calendar?t=${links.token('session-calendar', { s: 'S-999' }, 60_000)}`)).status).toBe(404);
  });

  it('tells everyone registered when the session moves, and the new file has a higher SEQUENCE', async () => {
    const [editCard] = await botA.submit(secretary, { verb: 'sessionEdit', sessionId });
    expectValidCard(editCard);
    const submissionId = String(buttonsOf(editCard).find((b) => b.data.verb === 'sessionSave')!.data.submissionId);
    const fromA = botA.connector.records.length;
    const fromB = botB.connector.records.length;
    const saved = answerTo(secretary, await botA.submit(secretary, { ...form(submissionId, { startTime: '13:00', endTime: '15:00' }), editId: sessionId }, { replyToId: 'edit' }));
    expect(readable(saved)).toContain('krijgt bericht over de nieuwe tijd of plaats');
    const notices = [...botA.connector.records.slice(fromA), ...botB.connector.records.slice(fromB)].filter((r) => readable(r).includes('is veranderd'));
    expect(notices.length).toBe(2); // the one confirmed and Fatima on the waiting list
    const url = openUrls(notices[0]).find((u) => u.includes('/sessions/calendar?'))!;
    const ics = await (await fetchLink(url, botA)).text();
    expect(field(ics, 'SEQUENCE:')).toBe('1');
    expect(field(ics, 'DTSTART;TZID=Europe/Amsterdam:')).toBe('20270415T130000');
  });
});

describe('attendees and export', () => {
  it('shows the secretariaat who comes and who waits, with a CSV download', async () => {
    const [card] = await botA.submit(secretary, { verb: 'sessionAttendees', sessionId });
    expectValidCard(card);
    expect(readable(card)).toContain('Aangemeld (1 van 1)');
    expect(readable(card)).toContain('1. Fatima Derde (Dudok Wonen)');
    const csvUrl = openUrls(card).find((u) => u.includes('/sessions/export?'))!;
    const res = await fetchLink(csvUrl, botB);
    expect(res.status).toBe(200);
    const csv = (await res.text()).replace(/^\uFEFF/, '');
    const rows = csv.trim().split('\r\n').map((r) => r.split(';'));
    expect(rows[0]).toEqual(['"naam"', '"organisatie"', '"rol"', '"status"', '"plaats op wachtlijst"', '"aangemeld op"', '"aanwezig"']);
    expect(rows.slice(1).map((r) => [r[0], r[3], r[4]])).toEqual(
      expect.arrayContaining([['"Fatima Derde"', '"wachtlijst"', '"1"']]),
    );
  });

  it('lets the gespreksleider see their own session, and no one else\'s list', async () => {
    const [led] = await botA.say(linda, 'sessies');
    expect(readable(led)).toContain('Sessies die je leidt');
    expect(buttonsOf(led).some((b) => b.data.verb === 'sessionAttendees')).toBe(true);
    const [card] = await botA.submit(linda, { verb: 'sessionAttendees', sessionId });
    expect(readable(card)).toContain('Wachtlijst (1)');
    expect(openUrls(card).some((u) => u.includes('/sessions/export?'))).toBe(false);
    const [refused] = await botA.submit(marieke, { verb: 'sessionAttendees', sessionId });
    expect(readable(refused)).toBe('Dit mag alleen het secretariaat of de gespreksleider van deze sessie.');
  });
});

describe('reminder', () => {
  it('arrives once for each confirmed person, with two instances checking at the same time', async () => {
    const session = await botA.app.services.sessions.get(sessionId);
    const at = new Date(Date.parse(session.startsAt) - 2 * 3_600_000);
    const fromA = botA.connector.records.length;
    const fromB = botB.connector.records.length;
    await Promise.all([
      botA.app.services.sessions.sendDueReminders(at),
      botB.app.services.sessions.sendDueReminders(at),
      botA.app.services.sessions.sendDueReminders(at),
    ]);
    await botB.app.services.sessions.sendDueReminders(new Date(at.getTime() + 60_000));
    // Reminders go through the durable outbox: wait until its delivery rows for this reminder are settled.
    const batch = `session-${sessionId}-reminder-${session.startsAt}`.replace(/[^A-Za-z0-9_.:-]/g, '-');
    for (let i = 0; i < 100; i++) {
      const report = await botA.app.services.outbox.report(batch);
      if (report.pending === 0 && report.sent > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const reminders = [...botA.connector.records.slice(fromA), ...botB.connector.records.slice(fromB)].filter((r) => readable(r).includes('Herinnering'));
    const confirmed = (await botA.app.services.sessions.attendees((await botA.app.services.members.resolve({ tenantId: TENANT, ...secretary }))!, sessionId)).confirmed;
    expect(reminders.map((r) => r.conversationId).sort()).toEqual(confirmed.map((c) => `a:personal-${c.aadObjectId}`).sort());
    expect(reminders).toHaveLength(1);
    expectValidCard(reminders[0]);
  });
});

describe('cancelling the session', () => {
  it('tells everyone registered, and refuses new sign-ups', async () => {
    const fromA = botA.connector.records.length;
    const fromB = botB.connector.records.length;
    const answer = answerTo(secretary, await botA.submit(secretary, { verb: 'sessionCancel', sessionId, list: 'upcoming' }));
    expect(readable(answer)).toContain(`De sessie ${sessionId} is geannuleerd.`);
    const notices = [...botA.connector.records.slice(fromA), ...botB.connector.records.slice(fromB)].filter((r) => readable(r).includes('gaat niet door'));
    expect(notices).toHaveLength(2);
    expect(readable((await botA.submit(marieke, { verb: 'sessionSignUp', sessionId }))[0])).toBe('Deze sessie is geannuleerd.');
  });
});

describe('after a session, the gespreksleider', () => {
  let started = '';
  beforeAll(async () => {
    const services = botA.app.services;
    const admin = (await services.members.resolve({ tenantId: TENANT, ...secretary }))!;
    const created = await services.sessions.create(admin, {
      ...form('abcdefgh-after', { capacity: '5', facilitator: `${TENANT}|${linda.aadObjectId}`, date: '2027-01-20', deadlineDate: '2027-01-10' }),
      audience: ['wethouder', 'directeur-bestuurder'],
    }, 'abcdefgh-after');
    if (created.status !== 'saved') throw new Error('not created');
    started = created.session.id;
    for (const u of [marieke, joost]) await botA.submit(u, { verb: 'sessionSignUp', sessionId: started });
    // The session has begun: move it an hour into the past in storage, as time would.
    const store = new SessionStore(botA.app.tables);
    const found = (await store.getSession(started))!;
    const hourAgo = Date.now() - 3_600_000;
    await store.commit({ value: { ...found.value, startsAt: new Date(hourAgo).toISOString(), endsAt: new Date(hourAgo + 7_200_000).toISOString() }, etag: found.etag }, []);
  });

  it('marks who attended and records the opbrengst with the cards, and those who came get it', async () => {
    const [card] = await botA.submit(linda, { verb: 'sessionAttendees', sessionId: started });
    expectValidCard(card);
    expect(readable(card)).toContain('Wie was er bij de sessie?');
    const forged = await botA.submit(linda, { verb: 'sessionAttendance', sessionId: started, attended: `${TENANT}|${fatima.aadObjectId}` });
    expect(readable(forged[0])).toContain('Je kunt alleen mensen kiezen die zijn aangemeld.');
    const [marked] = await botA.submit(linda, { verb: 'sessionAttendance', sessionId: started, attended: `${TENANT}|${marieke.aadObjectId}` }, { replyToId: 'att' });
    expect(marked!.method).toBe('PUT');
    expect(readable(marked)).toContain('De aanwezigheid is opgeslagen: 1 aanwezig.');
    expect(readable(marked)).toContain('Marieke Eerst (Gemeente Hilversum) · aanwezig');

    const fromA = botA.connector.records.length;
    const fromB = botB.connector.records.length;
    const opbrengst = 'Samen vroeg rekenen aan grond scheelt maanden.';
    const replies = await botA.submit(linda, { verb: 'sessionOpbrengst', sessionId: started, opbrengst }, { replyToId: 'att' });
    expect(readable(answerTo(linda, replies))).toContain('De opbrengst is opgeslagen.');
    // Typed text shows literally in the card (markdown signs escaped).
    const notices = [...botA.connector.records.slice(fromA), ...botB.connector.records.slice(fromB)].filter((r) => readable(r).includes(literal(opbrengst)));
    expect(notices.map((r) => r.conversationId)).toEqual([personalChat(marieke).id]);
    expect((await botB.app.services.sessions.opbrengstenNotOnAgenda()).map((o) => o.opbrengst)).toContain(opbrengst);
  });

  it('cannot sign anyone up or out any more', async () => {
    expect(readable((await botA.submit(fatima, { verb: 'sessionSignUp', sessionId: started }))[0])).toContain('al begonnen of voorbij');
    expect(readable((await botA.submit(joost, { verb: 'sessionCancelSignUp', sessionId: started }))[0])).toContain('Afmelden kan niet meer');
  });
});

describe('a long list of sessions', () => {
  it('pages the secretariaat\'s "sessies" with "Meer sessies": every upcoming session once, each page within Teams\' budget', async () => {
    for (let n = 0; n < 17; n++) {
      const replies = await botA.submit(secretary, form(`many-sessions-${n}`, { title: `Leersessie ${n}`, date: '2027-05-20', deadlineDate: '2027-05-13', capacity: '30' }));
      expect(readable(answerTo(secretary, replies))).not.toContain('Kijk');
    }
    const upcoming = (await botA.app.services.sessions.upcoming((await botA.app.services.members.resolve({ tenantId: TENANT, ...secretary }))!)).length;
    expect(upcoming).toBeGreaterThanOrEqual(17);
    const seen: string[] = [];
    let page: Recorded | undefined = (await botA.say(secretary, 'sessies'))[0];
    for (let pages = 0; page && pages < 20; pages++) {
      expect(utf16Bytes(page.activity)).toBeLessThanOrEqual(MESSAGE_BUDGET_BYTES);
      expectValidCard(page);
      seen.push(...buttonsOf(page).filter((b) => b.data.verb === 'sessionAttendees').map((b) => String(b.data.sessionId)));
      const more: { data: Record<string, unknown> } | undefined = buttonsOf(page).find((b) => b.data.verb === 'sessionList');
      page = more ? (await botA.submit(secretary, more.data, { replyToId: 'list' }))[0] : undefined;
    }
    expect(seen.length).toBe(upcoming);
    expect(new Set(seen).size).toBe(upcoming);
  });
});
