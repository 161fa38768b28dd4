// `beheer` at the region's real size: one page of members at a time, "Meer leden" to the next, and a search box;
// every card within Teams' budget (the fake connector refuses above Teams' limit, as Teams does).
import { MESSAGE_BUDGET_BYTES, utf16Bytes } from '../../src/cards/budget';
import { MemberStore } from '../../src/features/members/store';
import { buttonsOf, people, readable, startTestBot, TENANT, type TestBot } from '../helpers/harness';

let bot: TestBot;
const at = '2026-01-01T00:00:00.000Z';

beforeAll(async () => {
  bot = await startTestBot({ OUTBOX_WORKER: 'off' });
  await bot.say(people.admin, 'help');
  const store = new MemberStore(bot.app.tables);
  await store.createMemberIfAbsent({ tenantId: TENANT, aadObjectId: people.wethouder.aadObjectId, name: people.wethouder.name, organisationId: 'laren', role: 'wethouder', createdAt: at, updatedAt: at });
  for (let i = 1; i <= 58; i++) {
    await store.createMemberIfAbsent({
      tenantId: TENANT,
      aadObjectId: `cccccccc-0000-4000-8000-${String(i).padStart(12, '0')}`,
      name: `Bestuurder ${String(i).padStart(2, '0')} ${'met een lange achternaam '.repeat(3)}`,
      organisationId: 'huizen',
      role: i % 2 ? 'wethouder' : 'directeur-bestuurder',
      createdAt: at,
      updatedAt: at,
    });
  }
});
afterAll(() => bot.stop());

it('shows 60 members a page at a time, with "Meer leden" to the next page and "Vorige leden" back', async () => {
  const [first] = await bot.say(people.admin, 'beheer');
  expect(readable(first)).toContain('Leden 1 tot en met 10 van 60.');
  expect(utf16Bytes(first!.activity)).toBeLessThanOrEqual(MESSAGE_BUDGET_BYTES);
  const more = buttonsOf(first).find((b) => b.title === 'Meer leden')!;
  const [second] = await bot.submit(people.admin, more.data, { replyToId: 'beheer-1' });
  expect(second!.method).toBe('PUT');
  expect(readable(second)).toContain('Leden 11 tot en met 20 van 60.');
  const back = buttonsOf(second).find((b) => b.title === 'Vorige leden')!;
  expect(readable((await bot.submit(people.admin, back.data, { replyToId: 'beheer-1' }))[0])).toContain('Leden 1 tot en met 10 van 60.');

  // The last page has no "Meer leden".
  const last = await bot.submit(people.admin, { verb: 'adminPage', offset: 50 }, { replyToId: 'beheer-1' });
  expect(readable(last[0])).toContain('Leden 51 tot en met 60 van 60.');
  expect(buttonsOf(last[0]).some((b) => b.title === 'Meer leden')).toBe(false);
  expect(bot.connector.tooBig).toEqual([]);
});

it('finds members with the search box, and a change keeps the page and the search', async () => {
  const [found] = await bot.submit(people.admin, { verb: 'adminSearch', search: 'bestuurder 4' }, { replyToId: 'beheer-2' });
  // Names with the word "bestuurder" and a word starting with "4" somewhere: 04, 14, 24, 34, 40–49, 54.
  expect(readable(found)).toContain('Gevonden leden (15)');
  expect(readable(found)).toContain('Bestuurder 41');
  expect(readable(found)).not.toContain('Bestuurder 39');
  const change = buttonsOf(found).find((b) => b.data.verb === 'changeRole')!;
  expect(change.data.search).toBe('bestuurder 4');
  const changed = await bot.submit(people.admin, { ...change.data, [change.data.input as string]: 'secretariaat' }, { replyToId: 'beheer-2' });
  expect(readable(changed[0])).toContain('Gevonden leden (15)');
});

it('refuses the paging and search buttons to anyone but the secretariaat', async () => {
  const replies = await bot.submit(people.wethouder, { verb: 'adminPage', offset: 10 });
  expect(readable(replies[0])).not.toContain('Bestuurder');
  expect(readable(replies[0])).toContain('Dit mag alleen het secretariaat.');
});

it('says the form is not valid for a page number that is not a number', async () => {
  const replies = await bot.submit(people.admin, { verb: 'adminPage', offset: 'veel' });
  expect(readable(replies[0])).toMatch(/klopt niet|verlopen/);
});
