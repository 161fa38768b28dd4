// Choosing a plan for a dilemma at the region's largest plan list, over real HTTP: Teams' typeahead
// (`application/search`) answers from the plans in memory, and the form and list stay small whatever the list.
import { MESSAGE_BUDGET_BYTES, utf16Bytes } from '../../src/cards/budget';
import { PLAN_ID_MAX_LENGTH } from '../../src/features/plans';
import type { Role } from '../../src/features/members/model';
import { buttonsOf, cardOf, personalChat, readable, startTestBot, TENANT, type TestBot, type TestUser } from '../helpers/harness';

const user = (n: number, name: string): TestUser => ({ aadObjectId: `abababab-0000-4000-8000-${String(n).padStart(12, '0')}`, name });
const wethouder = user(1, 'Wim Wethouder');
const leader = user(2, 'Gerda Gespreksleider');
const stranger = user(3, 'Onbekende Bezoeker');

const PLANS = 10_000;
const LONG_NAME = 'Optoppen voormalige basisschool Soestdijkerstraatweg';
const LONG_ID = 'hilversum:optoppen-voormalige-basisschool-soestdijkerstraatweg';

let bot: TestBot;

/** 10,000 invented plan names ("Kadewei 17"), and one whose id is longer than the old 60-character field. */
function planFile(): Buffer {
  const parts = ['Kade', 'Veld', 'Hof', 'Erf', 'Weide', 'Laan', 'Dreef', 'Park', 'Zicht', 'Gaarde'];
  const towns = ['Blaricum', 'Gooise Meren', 'Hilversum', 'Huizen', 'Laren', 'Wijdemeren'];
  const lines = ['naam;gemeente;totaal;sociale huur;middenhuur;betaalbare koop;overig;fase'];
  for (let i = 0; i < PLANS; i++) lines.push(`${parts[i % 10]}${parts[Math.floor(i / 10) % 10]!.toLowerCase()} ${i};${towns[i % 6]};60;20;20;10;10;initiatief`);
  lines.push(`${LONG_NAME};Hilversum;80;40;20;10;10;initiatief`);
  return Buffer.from(lines.join('\n'), 'utf8');
}

async function search(u: TestUser, queryText: string, dataset = 'dilemmaPlans'): Promise<{ status: number; results: Array<{ title: string; value: string }> }> {
  const result = await bot.post(
    bot.activity(u, personalChat(u), { type: 'invoke', name: 'application/search', value: { queryText, queryOptions: { skip: 0, top: 30 }, dataset } }),
  );
  const body = JSON.parse(result.body || '{}') as { type?: string; value?: { results?: Array<{ title: string; value: string }> } };
  if (result.status === 200) expect(body.type).toBe('application/vnd.microsoft.search.searchResponse');
  return { status: result.status, results: body.value?.results ?? [] };
}

async function seed(u: TestUser, role: Role, organisationId: string) {
  await bot.app.services.members.seed([{ tenantId: TENANT, aadObjectId: u.aadObjectId, name: u.name, organisationId, role }]);
}

beforeAll(async () => {
  bot = await startTestBot({ BOOTSTRAP_ADMINS: '' });
  await seed(wethouder, 'wethouder', 'hilversum');
  await seed(leader, 'gespreksleider', 'regio-gooi-en-vechtstreek');
  const report = await bot.app.services.plans.importFile('import', planFile());
  expect(report).toMatchObject({ status: 'done', created: PLANS + 1 });
}, 300_000);
afterAll(async () => {
  await bot.stop();
});

describe('choosing a plan by typing', () => {
  it('answers Teams with at most 15 plans that have a word starting with each word typed, case and accents aside', async () => {
    // 100 plans are called "Kadeveld <number>": Teams shows 15.
    const found = await search(wethouder, 'kadeveld');
    expect(found.status).toBe(200);
    expect(found.results).toHaveLength(15);
    for (const r of found.results) expect(r.title).toMatch(/^Kadeveld \d+ \(/);
    // Of those, 12 have a number that starts with 1 (10, 110, 1010 … 1910).
    const narrowed = await search(wethouder, 'kadeveld 1');
    expect(narrowed.results).toHaveLength(12);
    for (const r of narrowed.results) expect(r.title).toMatch(/^Kadeveld 1\d* \(/);
    const one = await search(wethouder, 'SOESTDÏJKER');
    expect(one.results).toEqual([{ title: `${LONG_NAME} (Hilversum)`, value: LONG_ID }]);
    expect((await search(wethouder, 'bestaat nergens')).results).toEqual([]);
  });

  it('gives no plans to someone who is not a member or may not log dilemmas, nor for a dataset nobody declared', async () => {
    expect((await search(stranger, 'kade')).results).toEqual([]);
    expect((await search(leader, 'kade')).results).toEqual([]);
    const unknown = await bot.post(
      bot.activity(wethouder, personalChat(wethouder), { type: 'invoke', name: 'application/search', value: { queryText: 'kade', dataset: 'geheim' } }),
    );
    expect(unknown.body).not.toContain('Kade');
  });

  it('keeps the form and the list within the budget with 10,000 plans: a few plans in the card, the rest found by typing', async () => {
    const [form] = await bot.say(wethouder, 'dilemma');
    const [list] = await bot.say(wethouder, "dilemma's");
    for (const [name, reply] of [['form', form], ['list', list]] as const) {
      const card = JSON.stringify(cardOf(reply));
      expect({ name, bytes: utf16Bytes(reply!.activity) <= MESSAGE_BUDGET_BYTES }).toEqual({ name, bytes: true });
      expect(card).toContain('"choices.data":{"type":"Data.Query","dataset":"dilemmaPlans"}');
      expect(card.match(/"value":"[a-z-]+:[a-z0-9-]+"/g)!.length).toBeLessThanOrEqual(10);
    }
  });
});

describe('plan ids', () => {
  const form = (submissionId: string, relatedPlanId: string) => ({
    verb: 'dilemmaSave',
    submissionId,
    title: 'Optoppen stuit op de draagkracht',
    description: 'De fundering houdt geen extra verdieping. Wie heeft dit eerder opgelost?',
    theme: 'overig',
    municipalities: 'hilversum',
    relatedPlan: '',
    relatedPlanId,
    visibility: 'members',
    wantsAgenda: 'false',
  });

  it('links a dilemma to a plan whose id is longer than 60 characters, and names the plan on the cards', async () => {
    expect(LONG_ID.length).toBeGreaterThan(60);
    const [formReply] = await bot.say(wethouder, 'dilemma');
    const save = buttonsOf(formReply).find((b) => b.data.verb === 'dilemmaSave')!;
    const [saved] = await bot.submit(wethouder, form(String(save.data.submissionId), LONG_ID), { replyToId: 'form-long' });
    const id = /D-\d{4}-\d{3,}/.exec(readable(saved))?.[0];
    expect(id).toBeDefined();
    expect(readable(saved)).toContain(LONG_NAME);
    expect(readable((await bot.say(wethouder, `dilemma ${id}`))[0])).toContain(LONG_NAME);
  });

  it('says how long a plan may be with the number filled in, never a raw placeholder', async () => {
    const [formReply] = await bot.say(wethouder, 'dilemma');
    const save = buttonsOf(formReply).find((b) => b.data.verb === 'dilemmaSave')!;
    const [again] = await bot.submit(wethouder, form(String(save.data.submissionId), `hilversum:${'x'.repeat(PLAN_ID_MAX_LENGTH)}`), { replyToId: 'form-x' });
    expect(readable(again)).toContain(`Dit is te lang: maximaal ${PLAN_ID_MAX_LENGTH} tekens.`);
    expect(JSON.stringify(cardOf(again))).not.toMatch(/\{[a-z]+\}/);
  });
});
