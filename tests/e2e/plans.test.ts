// Plans end to end over real HTTP against the fake connector and Azurite: asking for a plan with a typo,
// lists and progress, editing with a stale card, followers told, the plan list sent as a file, "Plan zoeken",
// and two bot processes on one store.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { startApp } from '../../src/app';
import { SAMPLE_FILE } from '../../src/features/plans';
import { FILE_DOWNLOAD_INFO } from '../../src/features/plans/routes';
import type { Role } from '../../src/features/members/model';
import { FakeConnector } from '../helpers/connector';
import { cardProblems } from '../helpers/cards';
import { buttonsOf, cardOf, channel, personalChat, readable, startTestBot, testConfig, TENANT, TestBot, type TestUser } from '../helpers/harness';

const user = (n: number, name: string): TestUser => ({ aadObjectId: `cccccccc-0000-4000-8000-${String(n).padStart(12, '0')}`, name });
const hilversum = user(1, 'Wendy Wethouder');
const huizen = user(2, 'Hans Huizer');
const director = user(3, 'Dirk Directeur');
const secretary = user(4, 'Sanne Secretaris');

let bot: TestBot;
let files: http.Server;
let filesUrl = '';
const served = new Map<string, Buffer>();

async function seed(u: TestUser, role: Role, organisationId: string) {
  await bot.app.services.members.seed([{ tenantId: TENANT, aadObjectId: u.aadObjectId, name: u.name, organisationId, role }]);
}

beforeAll(async () => {
  bot = await startTestBot({ BOOTSTRAP_ADMINS: '' });
  await seed(hilversum, 'wethouder', 'hilversum');
  await seed(huizen, 'wethouder', 'huizen');
  await seed(director, 'directeur-bestuurder', 'dudok-wonen');
  await seed(secretary, 'secretariaat', 'regio-gooi-en-vechtstreek');
  for (const u of [hilversum, huizen, director, secretary]) await bot.say(u, 'help');
  await bot.app.services.plans.seed(readFileSync(SAMPLE_FILE));
  // A loopback file server stands in for Teams' download links.
  files = http.createServer((req, res) => {
    const body = served.get(req.url ?? '');
    res.statusCode = body ? 200 : 404;
    res.end(body ?? '');
  });
  await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
  filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await bot.stop();
  await new Promise<void>((resolve) => files.close(() => resolve()));
});

const cardText = (replies: Awaited<ReturnType<TestBot['say']>>) => replies.map(readable).join('\n');

function planIdOf(replies: Awaited<ReturnType<TestBot['say']>>): string {
  const follow = replies.flatMap(buttonsOf).find((b) => b.data.verb === 'planFollow');
  if (!follow) throw new Error(`no plan card in: ${cardText(replies)}`);
  return String(follow.data.id);
}

describe('asking about plans', () => {
  it('gives the card of a plan asked for by a misspelled name', async () => {
    const replies = await bot.say(director, 'plan zonnewijzrhof');
    expect(replies).toHaveLength(1);
    const text = readable(replies[0]);
    expect(text).toContain('Zonnewijzerhof');
    expect(text).toContain('vergunning verleend (harde plancapaciteit)');
    expect(text).toMatch(/Betaalbare koop \(tot €\s390\.000\)/);
    expect(text).toContain('1e kwartaal 2026');
    expect(cardProblems(cardOf(replies[0]))).toEqual([]);
  });

  it('answers "status" the same way, and offers a choice or the closest names otherwise', async () => {
    expect(readable((await bot.say(director, 'status BOOMGAARD'))[0])).toContain('Hilversum-Oost');
    const none = readable((await bot.say(director, 'plan Kasteeltuin'))[0]);
    expect(none).toContain('Er is geen plan met de naam "Kasteeltuin"');
    const ask = await bot.say(director, 'plan');
    expect(readable(ask[0])).toContain('Welk plan zoek je?');
  });

  it('lists the plans of a municipality with totals, and of the region', async () => {
    const replies = await bot.say(director, 'plannen hilversum');
    const text = readable(replies[0]);
    expect(text).toContain('Plannen in Hilversum');
    expect(text).toContain('3 plannen met samen 485 woningen, waarvan 160 sociale huur.');
    expect(text).not.toContain('Zuiderkade');
    const region = readable((await bot.say(director, 'plannen'))[0]);
    expect(region).toContain('15 plannen');
    const unknown = readable((await bot.say(director, 'plannen Amsterdam'))[0]);
    expect(unknown).toContain('De gemeente "Amsterdam" kennen we niet');
  });

  it('shows regional progress at a glance in a channel too', async () => {
    const replies = await bot.say(director, '<at>BO Wonen</at> voortgang', channel);
    const card = cardOf(replies[0])!;
    const text = readable(replies[0]);
    expect(text).toContain('Voortgang woningbouw 2022–2030');
    // In beeld: everything but the initiative and the cancelled plan, and delivered within the period.
    expect(text).toContain('1.252 van de 7.000 woningen zijn in beeld (18%).');
    expect(JSON.stringify(card)).toContain('Chart.Donut');
    expect(text).toContain('Wijdemeren');
  });
});

it('keeps plans from a gespreksleider, who only sees the sign-ups of their session', async () => {
  const facilitator = user(6, 'Linda Leider');
  await seed(facilitator, 'gespreksleider', 'regio-gooi-en-vechtstreek');
  for (const text of ['plan boomgaard', 'voortgang', 'plannen']) {
    expect(readable((await bot.say(facilitator, text))[0])).toContain('Plannen en voortgang zijn er voor wethouders, directeur-bestuurders en het secretariaat.');
  }
  const id = planIdOf(await bot.say(director, 'plan boomgaard'));
  expect(readable((await bot.submit(facilitator, { verb: 'planOpen', id }))[0])).toContain('Plannen en voortgang zijn er voor wethouders');
});

describe('following and editing', () => {
  it('tells followers when the wethouder of the municipality changes the phase; others may not edit', async () => {
    const card = await bot.say(director, 'plan spoorzicht');
    const id = planIdOf(card);
    // The director follows; the card says so.
    const followed = await bot.submit(director, { verb: 'planFollow', id, follow: true }, { replyToId: 'card-1' });
    expect(readable(followed[0])).toContain('Je volgt nu Spoorzicht');
    expect(buttonsOf(followed[0]).map((b) => b.title)).toContain('Niet meer volgen');

    // The Huizen wethouder sees no edit button, and a forged save changes nothing.
    expect(buttonsOf((await bot.say(huizen, 'plan spoorzicht'))[0]).some((b) => b.data.verb === 'planEdit')).toBe(false);
    const forged = await bot.submit(huizen, { verb: 'planSave', id, revision: 1, phase: 'opgeleverd', total: '160', socialRent: '40', midRent: '50', affordablePurchase: '30', other: '', startConstruction: '', delivery: '' });
    expect(readable(forged[0])).toContain('alleen het secretariaat en de wethouder van de gemeente');

    // The Hilversum wethouder edits.
    const mine = await bot.say(hilversum, 'plan spoorzicht');
    expect(buttonsOf(mine[0]).some((b) => b.data.verb === 'planEdit')).toBe(true);
    const form = await bot.submit(hilversum, { verb: 'planEdit', id });
    expect(cardProblems(cardOf(form[0]))).toEqual([]);
    const save = buttonsOf(form[0]).find((b) => b.data.verb === 'planSave')!;
    const from = bot.connector.records.length;
    const saved = await bot.submit(
      hilversum,
      { ...save.data, phase: 'omgevingsplan-vastgesteld', total: '170', socialRent: '60', midRent: '50', affordablePurchase: '30', other: '', startConstruction: '2027-Q2', delivery: '2029-Q4' },
      { replyToId: 'form-1' },
    );
    const updated = saved.find((r) => r.conversationId === personalChat(hilversum).id);
    expect(readable(updated)).toContain('Opgeslagen');
    expect(readable(updated)).toContain('omgevingsplan vastgesteld (harde plancapaciteit)');
    const notice = bot.connector.records.slice(from).find((r) => r.conversationId === personalChat(director).id && readable(r).includes('Je volgt dit plan'));
    expect(notice).toBeDefined();
    // The follower reads who changed it, not only that it changed.
    expect(readable(notice)).toContain('Wendy Wethouder heeft het plan Spoorzicht gewijzigd.');
    expect(readable(notice)).toContain('Fase: planprocedure → omgevingsplan vastgesteld');
    expect(readable(notice)).toContain('Sociale huur: 40 → 60');
    // Not the editor, and not someone who does not follow.
    expect(bot.connector.records.slice(from).some((r) => r.conversationId === personalChat(huizen).id)).toBe(false);

    // The history has it, with who and what.
    const history = await bot.submit(director, { verb: 'planHistory', id });
    expect(readable(history[0])).toContain('Wendy Wethouder');
    expect(readable(history[0])).toContain('Woningen: 160 → 170');
  });

  it('refuses wrong numbers on the edit card with the values as typed, and stores nothing', async () => {
    const id = planIdOf(await bot.say(hilversum, 'plan de boomgaard'));
    const form = await bot.submit(hilversum, { verb: 'planEdit', id });
    const save = buttonsOf(form[0]).find((b) => b.data.verb === 'planSave')!;
    const replies = await bot.submit(hilversum, { ...save.data, phase: 'in-aanbouw', total: '100', socialRent: '90', midRent: '60', affordablePurchase: '', other: '', startConstruction: '', delivery: '' });
    expect(readable(replies[0])).toContain('De soorten woningen (150) zijn samen meer dan het totaal (100).');
    expect(cardProblems(cardOf(replies[0]))).toEqual([]);
    expect(readable((await bot.say(director, 'plan de boomgaard'))[0])).toContain('240');
  });
});

describe('forged and broken input', () => {
  it('answers wrong types, unknown plans and stale or foreign ids in one sentence, and changes nothing', async () => {
    const id = planIdOf(await bot.say(secretary, 'plan vestingzicht'));
    const before = readable((await bot.say(director, 'plan vestingzicht'))[0]);
    const answers = [
      await bot.submit(director, { verb: 'planFollow', id: 'geen id', follow: true }),
      await bot.submit(director, { verb: 'planFollow', id, follow: 'ja' }),
      await bot.submit(director, { verb: 'planOpen', id: 'hilversum:bestaat-niet' }),
      await bot.submit(secretary, { verb: 'planSave', id, revision: 'oud', phase: 'opgeleverd' }),
      await bot.submit(secretary, { verb: 'planSave', id: 'hilversum:bestaat-niet', revision: 1, phase: 'opgeleverd', total: '1' }),
      await bot.submit(secretary, { verb: 'planEdit', id, extra: 'x'.repeat(50_000) }, { conversation: channel }),
    ].map((r) => readable(r[0]));
    const invalid = 'Dit formulier klopt niet of is verlopen.';
    const gone = 'Dit bestaat niet (meer).';
    expect(answers[0]).toContain(invalid);
    expect(answers[1]).toContain(invalid);
    expect(answers[2]).toContain(gone);
    expect(answers[3]).toContain(invalid);
    expect(answers[4]).toContain(gone);
    expect(answers[5]).toContain('persoonlijke chat');
    expect(readable((await bot.say(director, 'plan vestingzicht'))[0])).toBe(before);
  });
});

describe('plans and dilemmas', () => {
  it('lists on the plan card the dilemmas about it that the viewer may see', async () => {
    const reader = user(5, 'Ria Lezer');
    await seed(reader, 'directeur-bestuurder', 'de-alliantie');
    const log = async (title: string, visibility: string) => {
      const [form] = await bot.say(hilversum, 'dilemma');
      const save = buttonsOf(form).find((b) => b.data.verb === 'dilemmaSave')!;
      // The form offers the real plans: choose Heidezoom from the list.
      const planChoice = /"title":"Heidezoom[^"]*","value":"([^"]+)"/.exec(JSON.stringify(cardOf(form)))!;
      await bot.submit(hilversum, {
        relatedPlanId: planChoice[1],
        verb: 'dilemmaSave',
        submissionId: save.data.submissionId,
        title,
        description: 'Een beschrijving van het dilemma bij dit plan.',
        theme: 'financiering',
        municipalities: 'blaricum',
        relatedPlan: '',
        visibility,
        wantsAgenda: 'false',
      });
    };
    await log('Grondprijs bij de Bijvanck', 'members');
    await log('Vertrouwelijk overleg met de ontwikkelaar', 'confidential');
    const text = readable((await bot.say(reader, 'plan heidezoom'))[0]);
    expect(text).toContain("Dilemma's over dit plan");
    expect(text).toContain('Grondprijs bij de Bijvanck');
    expect(text).not.toContain('Vertrouwelijk overleg');
  });
});

// Before the two-process test: that one leaves the secretary's personal chat on its own (stopped) connector,
// where the outbox would then send the import report.
describe('the plan list sent as a file', () => {
  const sendFile = (u: TestUser, url: string, conversation = personalChat(u)) =>
    bot.post(
      bot.activity(u, conversation, {
        text: '',
        attachments: [{ contentType: FILE_DOWNLOAD_INFO, name: 'plannen.csv', content: { downloadUrl: url, uniqueId: 'f1', fileType: 'csv' } }],
      }),
    );

  /** Sends a file: the turn answers at once with the row count, the report follows from the outbox. */
  async function importFile(u: TestUser, url: string) {
    const from = bot.connector.records.length;
    const sent = await sendFile(u, url);
    // The report waits its turn in the outbox (Teams' rate limits for this chat): allow it time.
    const [ack, report, ...rest] = await bot.connector.waitFor(2, from, 60_000);
    return { sent, ack, report, rest };
  }

  it('imports valid rows, names the bad ones by row, and changes nothing the second time', async () => {
    const csv = [
      'naam;gemeente;totaal;sociale huur;fase',
      'Nieuw Erf;Laren;52;20;haalbaarheid',
      'Fout Erf;Weesp;52;20;haalbaarheid',
      'Bremveld;Huizen;48;48;opgeleverd',
    ].join('\r\n');
    served.set('/plannen.csv', Buffer.from(csv, 'latin1'));
    const first = await importFile(secretary, `${filesUrl}/plannen.csv`);
    expect(readable(first.ack)).toContain('Bezig met 3 rijen.');
    const report = readable(first.report);
    expect(report).toContain('1 nieuw, 1 gewijzigd, 0 gelijk gebleven, 1 rij afgekeurd.');
    expect(report).toContain('Rij 3: De gemeente "Weesp" hoort niet bij de regio.');
    expect(cardProblems(cardOf(first.report))).toEqual([]);
    const again = await importFile(secretary, `${filesUrl}/plannen.csv`);
    expect(readable(again.report)).toContain('0 nieuw, 0 gewijzigd, 2 gelijk gebleven, 1 rij afgekeurd.');
    expect(readable((await bot.say(director, 'plan nieuw erf'))[0])).toContain('Laren');
  });

  it('answers a 20,000-row list at once with the row count; its report, cut to fit Teams, arrives once after', async () => {
    // Most rows are rejected (Weesp is not in the region), so the test does not wait for 20,000 writes.
    const rows = Array.from({ length: 20_000 }, (_, i) => (i % 100 === 1 ? `Rijplan ${i};Laren;${50 + (i % 40)};initiatief` : `Rijplan ${i};Weesp;10;initiatief`));
    served.set('/groot.csv', Buffer.from(['naam;gemeente;totaal;fase;' + 'x'.repeat(300) + ';' + Array.from({ length: 30 }, (_, i) => `extra ${i}`).join(';'), ...rows].join('\r\n')));
    const from = bot.connector.records.length;
    const { replies } = await sendFile(secretary, `${filesUrl}/groot.csv`);
    // The turn itself answers with the acknowledgement only: the report is not part of it.
    expect(replies.map(readable)).toEqual([expect.stringContaining('Bezig met 20.000 rijen.')]);
    const [ack, report] = await bot.connector.waitFor(2, from, 60_000);
    expect(readable(ack)).toContain('Bezig met 20.000 rijen.');
    expect(readable(report)).toContain('200 nieuw, 0 gewijzigd, 0 gelijk gebleven, 19.800 rijen afgekeurd.');
    expect(readable(report)).toContain('En nog 19.790 afgekeurde rijen.');
    expect(readable(report)).toContain('En nog 21 kolommen.');
    expect(cardProblems(cardOf(report))).toEqual([]);
    // Exactly once: nothing more arrives once the outbox has nothing left.
    expect(await bot.app.worker.settle()).toBe(true);
    expect(bot.connector.records.slice(from).filter((r) => readable(r).includes('rijen afgekeurd'))).toHaveLength(1);
  }, 90_000);

  it('refuses a file from anyone but the secretariaat, and a link that is not https', async () => {
    served.set('/evil.csv', Buffer.from('naam;gemeente;totaal;fase\r\nX;Laren;10;initiatief\r\n'));
    expect(readable((await sendFile(director, `${filesUrl}/evil.csv`)).replies[0])).toContain('Alleen het secretariaat kan een planlijst inlezen.');
    expect(readable((await sendFile(secretary, 'http://files.example.org/plannen.csv')).replies[0])).toContain('Het bestand kon niet worden opgehaald.');
    expect(readable((await bot.say(director, 'plan X'))[0])).not.toContain('Laren · ');
  });
});

describe('two bot processes on one store', () => {
  let second: TestBot;
  beforeAll(async () => {
    const connector = await new FakeConnector().start();
    // A short refresh time: this process answers from memory for at most 200 ms before it checks storage.
    const app = await startApp(testConfig({ BOOTSTRAP_ADMINS: '', PLANS_REFRESH_MS: '200', TABLE_PREFIX: bot.app.services.config.storage.tablePrefix }));
    second = new TestBot(app, connector);
  });
  afterAll(async () => second.stop());

  it('sees a change made on the other process at the next question, and the second editor is not overwritten', async () => {
    const id = planIdOf(await second.say(secretary, 'plan zuiderkade'));
    // Two people open the edit card of the same plan, one on each process.
    const formA = await bot.submit(secretary, { verb: 'planEdit', id });
    const formB = await second.submit(huizen, { verb: 'planEdit', id });
    const saveA = buttonsOf(formA[0]).find((b) => b.data.verb === 'planSave')!;
    const saveB = buttonsOf(formB[0]).find((b) => b.data.verb === 'planSave')!;
    expect(saveA.data.revision).toBe(saveB.data.revision);

    const first = await bot.submit(secretary, { ...saveA.data, phase: 'in-aanbouw', total: '150', socialRent: '55', midRent: '40', affordablePurchase: '25', other: '', startConstruction: '2026-Q2', delivery: '2028-Q1' });
    expect(readable(first[0])).toContain('Opgeslagen');
    // The other process answers with the new phase once its refresh time has passed.
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(readable((await second.say(director, 'plan zuiderkade'))[0])).toContain('in aanbouw');

    const late = await second.submit(huizen, { ...saveB.data, phase: 'vertraagd', total: '150', socialRent: '55', midRent: '40', affordablePurchase: '25', other: '', startConstruction: '2026-Q2', delivery: '2028-Q1' });
    const text = readable(late[0]);
    expect(text).toContain('Dit plan is net gewijzigd door Sanne Secretaris');
    expect(JSON.stringify(cardOf(late[0]))).toContain('"value":"in-aanbouw"');
    expect(readable((await bot.say(director, 'plan zuiderkade'))[0])).toContain('in aanbouw');
  });
});

describe('"Plan zoeken" message extension', () => {
  const query = (u: TestUser, text: string) =>
    bot.post(
      bot.activity(u, channel, {
        type: 'invoke',
        name: 'composeExtension/query',
        value: { commandId: 'planSearch', parameters: [{ name: 'planName', value: text }], queryOptions: { skip: 0, count: 10 } },
      }),
    );

  it('returns plan cards with previews for any chat', async () => {
    const result = await query(director, 'heidezom');
    expect(result.status).toBe(200);
    const body = JSON.parse(result.body) as { composeExtension: { type: string; attachments: Array<{ content: unknown; preview: { content: { title: string } } }> } };
    expect(body.composeExtension.type).toBe('result');
    expect(body.composeExtension.attachments[0]!.preview.content.title).toBe('Heidezoom');
    const card = body.composeExtension.attachments[0]!.content as Record<string, unknown>;
    expect(cardProblems(card)).toEqual([]);
    // Inserted into any chat, where the bot may not be: no buttons that need it.
    expect(JSON.stringify(card)).not.toContain('Action.Submit');
  });

  type Results = { composeExtension: { type: string; text?: string; attachments: Array<{ content: unknown; preview: { content: { title: string; tap: { value: { planId: string } } } } }> } };
  const initialRun = (count: number) =>
    bot.post(
      bot.activity(director, channel, {
        type: 'invoke',
        name: 'composeExtension/query',
        value: { commandId: 'planSearch', parameters: [{ name: 'initialRun', value: 'true' }], queryOptions: { skip: 0, count } },
      }),
    );

  it('shows the biggest plans when Teams opens it (initialRun="true"), not a search for "true"', async () => {
    const body = JSON.parse((await initialRun(3)).body) as Results;
    expect(body.composeExtension.type).toBe('result');
    const all = (await bot.app.services.plans.list((await bot.app.services.members.resolve({ tenantId: TENANT, aadObjectId: director.aadObjectId, name: '' }))!)).plans;
    expect(body.composeExtension.attachments.map((a) => a.preview.content.title)).toEqual(all.slice(0, 3).map((p) => p.name));
  });

  it('answers with at most the 25 results Teams asks for, each small, the whole plan card on choosing', async () => {
    const secretaryMember = (await bot.app.services.members.resolve({ tenantId: TENANT, aadObjectId: secretary.aadObjectId, name: '' }))!;
    const rows = Array.from({ length: 30 }, (_, i) => `Zoekplan ${i + 1};Laren;${60 + i};initiatief`);
    await bot.app.services.plans.importFile(secretaryMember, Buffer.from(['naam;gemeente;totaal;fase', ...rows].join('\r\n')));
    const result = await initialRun(100);
    const body = JSON.parse(result.body) as Results;
    expect(body.composeExtension.attachments).toHaveLength(25);
    expect(result.body.length * 2).toBeLessThanOrEqual(80 * 1024);
    for (const a of body.composeExtension.attachments) expect(cardProblems(a.content)).toEqual([]);
    const typed = JSON.parse((await query(director, 'zoekplan')).body) as Results;
    expect(typed.composeExtension.attachments.length).toBeGreaterThan(1);
    expect(typed.composeExtension.attachments.length).toBeLessThanOrEqual(10);
    const chosen = await bot.post(
      bot.activity(director, channel, { type: 'invoke', name: 'composeExtension/selectItem', value: typed.composeExtension.attachments[0]!.preview.content.tap.value }),
    );
    expect(chosen.body).toContain('Zoekplan');
    expect(chosen.body).toContain('application/vnd.microsoft.card.adaptive');
  });

  it('tells a non-member how to get access', async () => {
    const result = await query(user(9, 'Onbekend'), 'heide');
    expect(result.body).toContain('Je staat nog niet op de lijst van BO Wonen');
  });
});
