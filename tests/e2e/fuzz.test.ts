// Thousands of random and malformed activities and card submits against every route the bot has (walked
// from the capability list, so capabilities added later are covered too): no crash, no 5xx, no apology,
// a clear answer each time, and a stranger's submits write nothing.
import fc from 'fast-check';
import { people, personalChat, channel, startTestBot, TENANT, type TestBot, type TestUser } from '../helpers/harness';

let bot: TestBot;
const wethouder: TestUser = { aadObjectId: 'abababab-0000-4000-8000-000000000001', name: 'Wendy Wethouder' };
const stranger: TestUser = { aadObjectId: 'abababab-0000-4000-8000-000000000099', name: 'Stijn Vreemd' };

beforeAll(async () => {
  bot = await startTestBot();
  await bot.app.services.members.seed([{ tenantId: TENANT, aadObjectId: wethouder.aadObjectId, name: wethouder.name, organisationId: 'huizen', role: 'wethouder' }]);
  for (const u of [people.admin, wethouder]) await bot.say(u, 'help');
});
afterAll(async () => {
  await bot.stop();
});

const routes = () => bot.app.routes;
const verbs = () => [
  'command',
  ...routes().flatMap((r) => [...(r.actions ?? []), ...(r.openActions ?? [])].map((a) => a.verb)),
];
const executeVerbs = () => routes().flatMap((r) => (r.executes ?? []).map((e) => e.verb));
const datasets = () => routes().flatMap((r) => (r.searches ?? []).map((s) => s.dataset));
const commandWords = () => routes().flatMap((r) => (r.commands ?? []).flatMap((c) => c.words));

/** Text that tries to break out of OData filters, row keys and card JSON. */
const nasty = fc.constantFrom(
  "' or 1 eq 1 or ''='",
  "x' or PartitionKey ne '",
  'a/b\\c#d?e%f',
  '\u0000\u0001\u001f\u007f',
  'D-2026-001\' or \'\'=\'',
  '"}]}',
  '<at>BO Wonen</at>',
  '😀'.repeat(300),
  'x'.repeat(5000),
  '',
  ' ',
);
const text = fc.oneof(fc.string({ maxLength: 300 }), fc.fullUnicodeString({ maxLength: 100 }), nasty);
const anyValue = fc.oneof(fc.anything({ maxDepth: 3 }), text, fc.constant(null));

const APOLOGY = /Sorry, er ging iets mis|Sorry, something went wrong/;

async function check(body: Record<string, unknown>) {
  const result = await bot.post(body);
  expect(result.status).toBeLessThan(500);
  const said = result.replies.map((r) => JSON.stringify(r.activity)).join('\n') + result.body;
  expect(said).not.toMatch(APOLOGY);
  return result;
}

it('answers random commands with random arguments, as a member, in a personal chat and a channel', async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...commandWords(), 'help'), text, fc.boolean(), fc.constantFrom(people.admin, wethouder), async (word, args, inChannel, user) => {
      const conversation = inChannel ? channel : personalChat(user);
      const message = `${inChannel ? '<at>BO Wonen</at> ' : ''}${word} ${args}`;
      const result = await check(bot.activity(user, conversation, { text: message }));
      if (message.length <= 2000) expect(result.replies.length).toBeGreaterThan(0);
    }),
    { numRuns: 400 },
  );
}, 180_000);

it('answers forged and malformed card submits to every verb with a sentence, never an apology', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...verbs()),
      fc.dictionary(fc.constantFrom('id', 'target', 'submissionId', 'page', 'after', 'status', 'title', 'role', 'input', 'command', 'decision', 'from'), anyValue, { maxKeys: 6 }),
      fc.constantFrom(people.admin, wethouder),
      fc.boolean(),
      async (verb, fields, user, inChannel) => {
        const result = await check(bot.activity(user, inChannel ? channel : personalChat(user), { value: { ...fields, verb } }));
        expect(result.replies.length).toBeGreaterThan(0);
      },
    ),
    { numRuns: 800 },
  );
}, 180_000);

it('answers random Action.Execute invokes and unknown invokes with an invoke response', async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...executeVerbs(), 'noSuchVerb'), anyValue, fc.constantFrom('adaptiveCard/action', 'composeExtension/query', 'task/fetch', 'x'), async (verb, data, name) => {
      const result = await check(
        bot.activity(wethouder, personalChat(wethouder), { type: 'invoke', name, value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' } }),
      );
      expect(result.status).toBe(200);
    }),
    { numRuns: 300 },
  );
}, 180_000);

it('answers random typeahead searches (application/search) with an invoke response, never an apology', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...datasets(), 'noSuchDataset'),
      anyValue,
      fc.oneof(fc.record({ skip: anyValue, top: anyValue }), anyValue),
      fc.constantFrom(people.admin, wethouder, stranger),
      async (dataset, queryText, queryOptions, user) => {
        const result = await check(bot.activity(user, personalChat(user), { type: 'invoke', name: 'application/search', value: { dataset, queryText, queryOptions } }));
        expect(result.status).toBe(200);
        const body = JSON.parse(result.body || '{}') as { value?: { results?: unknown[] } };
        if (Array.isArray(body.value?.results)) expect(body.value.results.length).toBeLessThanOrEqual(15);
      },
    ),
    { numRuns: 200 },
  );
}, 180_000);

it("lets a stranger's random submits write nothing but an access request", async () => {
  const count = async (table: string) => {
    let n = 0;
    for await (const _ of bot.app.tables.client(table).listEntities()) n++;
    return n;
  };
  const tables = bot.app.built.flatMap((b) => b.capability.tables).filter((t) => t !== 'AccessRequests');
  const before = await Promise.all(tables.map(count));
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...verbs()), fc.dictionary(fc.string({ maxLength: 10 }), anyValue, { maxKeys: 5 }), async (verb, fields) => {
      await check(bot.activity(stranger, personalChat(stranger), { value: { ...fields, verb } }));
    }),
    { numRuns: 300 },
  );
  expect(await Promise.all(tables.map(count))).toEqual(before);
}, 180_000);
