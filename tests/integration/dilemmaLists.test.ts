// Dilemma lists on Azurite: newest-first pages with a cursor, filters and word search from the index, and
// the index following every change (edit, status, withdraw, recognitions, responses, privacy erase).
import { AuditLog } from '../../src/core/audit';
import { DilemmaStore } from '../../src/features/dilemmas/store';
import { DilemmaService, type Viewer } from '../../src/features/dilemmas/service';
import { PAGE_SIZE, type ListFilter } from '../../src/features/dilemmas/model';
import type { Member } from '../../src/features/members/model';
import { freshTables } from '../helpers/storage';
import { testMember } from '../helpers/members';

const member = (aadObjectId: string, role: Member['role'] = 'wethouder'): Member => testMember(aadObjectId, role);
const author = member('author');
const reader = member('reader', 'directeur-bestuurder');
const secretary = member('secretary', 'secretariaat');
const personal = (m: Member): Viewer => ({ member: m, shared: false });

const input = (title: string, extra: Record<string, unknown> = {}) => ({
  title,
  description: 'Een korte beschrijving.',
  theme: 'capaciteit',
  municipalities: ['huizen'],
  relatedPlan: '',
  visibility: 'members',
  wantsAgenda: false,
  ...extra,
});

let service: DilemmaService;
/** The plan list the plans capability would offer (none until a test sets it). */
let planList: Array<{ id: string; name: string }> | undefined;
let clock = Date.parse('2026-03-01T09:00:00Z');
let submission = 0;

async function create(who: Member, title: string, extra: Record<string, unknown> = {}): Promise<string> {
  const result = await service.create(who, input(title, extra), `submission-${++submission}-abcdef`);
  if (result.status !== 'saved') throw new Error(`not saved: ${JSON.stringify(result)}`);
  return result.dilemma.id;
}

const titles = async (viewer: Viewer, filter: ListFilter = {}, after?: string) => (await service.list(viewer, filter, after)).items.map((d) => d.title);

beforeAll(async () => {
  const tables = await freshTables();
  service = new DilemmaService(
    new DilemmaStore(tables),
    () => ['huizen', 'laren', 'blaricum'],
    { authorNotice: async () => undefined },
    async (a) => member(a.aadObjectId),
    // Each change a second later, so "newest first" is visible in the order.
    () => new Date((clock += 1000)),
    new AuditLog(tables),
    () => planList,
  );
});

describe('pages', () => {
  const made: string[] = [];
  beforeAll(async () => {
    for (let i = 1; i <= 23; i++) made.push(await create(author, `Pagina ${i}`, { theme: 'stikstof', municipalities: ['blaricum'] }));
  });

  it('lists the newest ten first, and "Meer" continues after the last one shown until there are no more', async () => {
    const filter: ListFilter = { theme: 'stikstof' };
    const first = await service.list(personal(reader), filter);
    expect(first.items.map((d) => d.title)).toEqual(Array.from({ length: PAGE_SIZE }, (_, i) => `Pagina ${23 - i}`));
    expect(first.next).toBeDefined();
    const second = await service.list(personal(reader), filter, first.next);
    expect(second.items.map((d) => d.title)).toEqual(Array.from({ length: PAGE_SIZE }, (_, i) => `Pagina ${13 - i}`));
    const third = await service.list(personal(reader), filter, second.next);
    expect(third.items.map((d) => d.title)).toEqual(['Pagina 3', 'Pagina 2', 'Pagina 1']);
    expect(third.next).toBeUndefined();
    expect(third.capped).toBe(false);
  });

  it('shows a dilemma logged between two pages on the first page, not twice on the next', async () => {
    const filter: ListFilter = { municipality: 'blaricum' };
    const first = await service.list(personal(reader), filter);
    await create(author, 'Nieuw tussendoor', { theme: 'stikstof', municipalities: ['blaricum'] });
    const second = await service.list(personal(reader), filter, first.next);
    expect(second.items.map((d) => d.title)).not.toContain('Nieuw tussendoor');
    expect(second.items.map((d) => d.title)).not.toContain(first.items[PAGE_SIZE - 1]!.title);
    expect((await titles(personal(reader), filter))[0]).toBe('Nieuw tussendoor');
  });
});

describe('filters follow every change', () => {
  it('moves a dilemma between theme, municipality, plan and status lists when it is edited or its status changes', async () => {
    const id = await create(author, 'Verhuist tussen lijsten', { theme: 'capaciteit', municipalities: ['laren'] });
    expect(await titles(personal(reader), { theme: 'capaciteit', municipality: 'laren' })).toContain('Verhuist tussen lijsten');

    await service.edit(author, id, input('Verhuist tussen lijsten', { theme: 'leefbaarheid', municipalities: ['huizen'] }));
    expect(await titles(personal(reader), { theme: 'capaciteit' })).not.toContain('Verhuist tussen lijsten');
    expect(await titles(personal(reader), { municipality: 'laren' })).not.toContain('Verhuist tussen lijsten');
    expect(await titles(personal(reader), { theme: 'leefbaarheid', municipality: 'huizen' })).toContain('Verhuist tussen lijsten');

    await service.setStatus(personal(secretary), id, 'geagendeerd', '');
    expect(await titles(personal(reader), { status: 'nieuw', theme: 'leefbaarheid' })).not.toContain('Verhuist tussen lijsten');
    expect(await titles(personal(reader), { status: 'geagendeerd' })).toContain('Verhuist tussen lijsten');
  });

  it('keeps a withdrawn dilemma out of every list but the author\'s and the secretariaat\'s "ingetrokken"', async () => {
    const id = await create(author, 'Wordt ingetrokken', { theme: 'overig' });
    await service.withdraw(personal(author), id);
    expect(await titles(personal(reader), { theme: 'overig' })).not.toContain('Wordt ingetrokken');
    expect(await titles(personal(author))).not.toContain('Wordt ingetrokken');
    expect(await titles(personal(reader), { status: 'ingetrokken' })).not.toContain('Wordt ingetrokken');
    expect(await titles(personal(author), { status: 'ingetrokken' })).toContain('Wordt ingetrokken');
    expect(await titles(personal(secretary), { status: 'ingetrokken', theme: 'overig' })).toContain('Wordt ingetrokken');
  });

  it('shows recognitions and responses counted on the list, and an erased author as former member', async () => {
    const erased = member('leaving');
    const id = await create(erased, 'Telt mee', { theme: 'woon-werkbalans' });
    await service.setRecognition(personal(reader), id, true);
    await service.setRecognition(personal(secretary), id, true);
    await service.respond(personal(reader), id, { text: 'Goed punt.', wantsToTalk: false, submissionId: 'count-response-1' });
    let row = (await service.list(personal(reader), { theme: 'woon-werkbalans' })).items.find((d) => d.id === id)!;
    expect([row.recognisedCount, row.responseCount]).toEqual([2, 1]);

    await service.erase({ tenantId: 't1', aadObjectId: 'reader' });
    await service.erase({ tenantId: 't1', aadObjectId: 'leaving' });
    row = (await service.list(personal(secretary), { theme: 'woon-werkbalans' })).items.find((d) => d.id === id)!;
    expect(row.recognisedCount).toBe(1);
    expect(row.author.name).toBe('');
  });

  it('lists a dilemma under its plan of the plan list, newest first', async () => {
    planList = [{ id: 'plan-oostereng', name: 'Oostereng' }, { id: 'plan-larenweg', name: 'Larenweg' }];
    await create(author, 'Bij Oostereng 1', { relatedPlanId: 'plan-oostereng' });
    await create(author, 'Bij Larenweg', { relatedPlanId: 'plan-larenweg' });
    await create(author, 'Bij Oostereng 2', { relatedPlanId: 'plan-oostereng' });
    expect(await titles(personal(reader), { plan: 'plan-oostereng' })).toEqual(['Bij Oostereng 2', 'Bij Oostereng 1']);
    // A plan id that is not on the list is refused, and nothing is stored.
    const forged = await service.create(author, input('Vals plan', { relatedPlanId: 'plan-bestaat-niet' }), 'forged-plan-submission');
    expect(forged).toEqual({ status: 'invalid', problems: { relatedPlanId: 'invalidChoice' } });
  });
});

describe('search', () => {
  beforeAll(async () => {
    await create(author, 'Woningbouw stokt door netcongestie', { description: 'De netbeheerder sluit pas in 2029 aan.' });
    await create(author, 'Participátie bij inbreiding', { description: 'Bewoners willen meer inspraak bij nieuwe woningen.' });
    await create(author, 'Grondprijs te hoog', { description: 'Sociale huur is zo onhaalbaar.', visibility: 'confidential' });
  });

  it('finds words by their start, without caring for case or accents, and needs every word', async () => {
    expect(await titles(personal(reader), { words: 'woning' })).toEqual(['Participátie bij inbreiding', 'Woningbouw stokt door netcongestie']);
    expect(await titles(personal(reader), { words: 'PARTICIPATIE inspraak' })).toEqual(['Participátie bij inbreiding']);
    expect(await titles(personal(reader), { words: 'woning netbeheerder' })).toEqual(['Woningbouw stokt door netcongestie']);
    expect(await titles(personal(reader), { words: 'woning stikstof' })).toEqual([]);
  });

  it('finds new words after an edit and forgets the old ones', async () => {
    const id = await create(author, 'Tijdelijke titel', { description: 'Over de brandweer.' });
    expect(await titles(personal(reader), { words: 'brandweer' })).toEqual(['Tijdelijke titel']);
    await service.edit(author, id, input('Definitieve titel', { description: 'Over de bluswatervoorziening.' }));
    expect(await titles(personal(reader), { words: 'brandweer' })).toEqual([]);
    expect(await titles(personal(reader), { words: 'blusw' })).toEqual(['Definitieve titel']);
  });

  it('never finds a confidential dilemma for someone who may not see it', async () => {
    expect(await titles(personal(reader), { words: 'grondprijs' })).toEqual([]);
    expect(await titles(personal(author), { words: 'grondprijs' })).toEqual(['Grondprijs te hoog']);
    expect(await titles({ member: secretary, shared: true }, { words: 'grondprijs' })).toEqual([]);
  });

  it('says it stopped early when a word is the start of very many words', async () => {
    const many = Array.from({ length: 30 }, (_, i) => `qq${String.fromCharCode(97 + (i % 26))}${i}`).join(' ');
    await create(author, 'Veel qq-woorden', { description: many });
    const page = await service.list(personal(reader), { words: 'qq' });
    expect(page.capped).toBe(true);
    expect(page.items.map((d) => d.title)).toEqual(['Veel qq-woorden']);
  });
});
