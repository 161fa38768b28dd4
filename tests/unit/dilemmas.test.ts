// Dilemma rules and cards without storage: who sees what, search folding, numbers, and card validity.
import { canSee, formatId, mayUseDilemmas } from '../../src/features/dilemmas/service';
import { fold } from '../../src/text';
import { authorNoticeCard, dilemmaDetailCard, dilemmaFormCard, dilemmaListCard, dilemmaSavedCard, PAGE_SIZE } from '../../src/features/dilemmas/cards';
import { summaryOf, THEMES, type Dilemma, type DilemmaResponse } from '../../src/features/dilemmas/model';
import { organisationFileSchema, type Member, type Role } from '../../src/features/members/model';
import organisationFile from '../../src/features/members/organisations.json';
import { personKey } from '../../src/storage/keys';
import { cardProblems } from '../helpers/cards';
import type { Locale } from '../../src/i18n';

const organisations = organisationFileSchema.parse(organisationFile).organisations;
const municipalities = organisations.filter((o) => o.kind === 'gemeente');
const orgName = (id: string) => organisations.find((o) => o.id === id)?.name ?? id;

const member = (id: string, role: Role): Member => ({
  tenantId: 't1',
  aadObjectId: id,
  name: `Naam ${id}`,
  organisationId: 'hilversum',
  role,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
});
const author = member('author', 'wethouder');
const other = member('other', 'directeur-bestuurder');
const secretary = member('sec', 'secretariaat');
const facilitator = member('fac', 'gespreksleider');

const dilemma = (extra: Partial<Dilemma> = {}): Dilemma => ({
  id: 'D-2026-014',
  title: 'Netcongestie houdt oplevering tegen',
  description: 'Er is geen aansluiting op het net voor 2029.',
  theme: 'netcongestie',
  municipalities: ['huizen', 'laren'],
  relatedPlan: 'Plan Oostereng',
  relatedPlanId: '',
  visibility: 'members',
  wantsAgenda: true,
  status: 'nieuw',
  outcome: '',
  author: { tenantId: 't1', aadObjectId: 'author', name: 'Naam author', organisationId: 'hilversum' },
  recognisedBy: [personKey('t1', 'other')],
  responseCount: 1,
  createdAt: '2026-11-29T10:00:00Z',
  updatedAt: '2026-11-29T10:00:00Z',
  ...extra,
});

describe('who sees a dilemma', () => {
  const open = dilemma();
  const confidential = dilemma({ visibility: 'confidential' });
  const withdrawn = dilemma({ status: 'ingetrokken' });

  it.each([
    ['author', author, true, true],
    ['another member', other, true, false],
    ['the secretariaat', secretary, true, true],
    ['a gespreksleider', facilitator, false, false],
  ])('%s: open %s, confidential %s in a personal chat', (_name, who, seesOpen, seesConfidential) => {
    expect(canSee({ member: who, shared: false }, open)).toBe(seesOpen);
    expect(canSee({ member: who, shared: false }, confidential)).toBe(seesConfidential);
  });

  it('keeps confidential dilemmas out of shared chats, even for the author and the secretariaat', () => {
    expect(canSee({ member: author, shared: true }, confidential)).toBe(false);
    expect(canSee({ member: secretary, shared: true }, confidential)).toBe(false);
    expect(canSee({ member: other, shared: true }, open)).toBe(true);
  });

  it('hides withdrawn dilemmas from everyone but the author and the secretariaat', () => {
    expect(canSee({ member: other, shared: false }, withdrawn)).toBe(false);
    expect(canSee({ member: author, shared: false }, withdrawn)).toBe(true);
    expect(canSee({ member: secretary, shared: false }, withdrawn)).toBe(true);
  });

  it('gives dilemmas to members and the secretariaat only', () => {
    expect([author, other, secretary, facilitator].map(mayUseDilemmas)).toEqual([true, true, true, false]);
  });
});

it('folds case and accents for search', () => {
  expect(fold('Participátie ÉÉN Café')).toBe('participatie een cafe');
});

it('numbers dilemmas as D-year-sequence with at least three digits', () => {
  expect(formatId(2026, 14)).toBe('D-2026-014');
  expect(formatId(2026, 1234)).toBe('D-2026-1234');
});

describe.each<Locale>(['nl', 'en'])('dilemma cards in %s', (locale) => {
  const responses: DilemmaResponse[] = Array.from({ length: 20 }, (_, i) => ({
    dilemmaId: 'D-2026-014',
    author: { tenantId: 't1', aadObjectId: `r${i}`, name: `Reageerder ${i}`, organisationId: 'ymere' },
    text: 'Wij hebben dit opgelost met een tijdelijke batterij. '.repeat(35),
    wantsToTalk: i % 2 === 0,
    createdAt: '2026-11-29T11:00:00Z',
  }));
  const full = dilemma({ description: 'x'.repeat(4000), outcome: 'Besproken in het BO van december.', status: 'besproken' });
  const cards: Record<string, unknown> = {
    formEmpty: dilemmaFormCard(locale, { submissionId: 'abcdefgh', municipalities }),
    formWithProblems: dilemmaFormCard(locale, {
      submissionId: 'abcdefgh',
      municipalities,
      editId: 'D-2026-014',
      values: { title: 'a'.repeat(120), description: 'b'.repeat(4000), municipalities: 'regio,huizen', visibility: 'confidential', wantsAgenda: 'true' },
      problems: { title: 'tooLong', theme: 'unknownTheme', description: 'truncated', municipalities: 'required' },
    }),
    saved: dilemmaSavedCard(locale, dilemma(), true, municipalities),
    listEmpty: dilemmaListCard(locale, { dilemmas: [], capped: false, continued: false, filter: {}, organisationName: orgName, municipalities }),
    listFull: dilemmaListCard(locale, {
      dilemmas: Array.from({ length: PAGE_SIZE }, (_, i) => summaryOf(dilemma({ id: `D-2026-${String(i).padStart(3, '0')}`, title: 't'.repeat(120) }))),
      next: '8209-7974999985',
      capped: true,
      continued: true,
      filter: { theme: 'stikstof', municipality: 'laren', status: 'nieuw', words: 'net' },
      organisationName: orgName,
      municipalities,
    }),
    detailForSecretariaat: dilemmaDetailCard(locale, {
      dilemma: full,
      responses,
      recognised: true,
      isAuthor: false,
      isSecretariaat: true,
      shared: false,
      organisationName: orgName,
      municipalities,
      responseSubmissionId: 'abcdefgh-1',
      notice: 'ok',
      draftResponse: 'concept',
    }),
    detailForAuthorInChannel: dilemmaDetailCard(locale, {
      dilemma: dilemma(),
      responses: [],
      recognised: false,
      isAuthor: true,
      isSecretariaat: false,
      shared: true,
      organisationName: orgName,
      municipalities,
      responseSubmissionId: 'abcdefgh-2',
    }),
    noticeResponse: authorNoticeCard(locale, dilemma(), 'response', new Date('2026-11-29T13:36:00Z')),
    noticeStatus: authorNoticeCard(locale, full, 'status', new Date('2026-11-29T13:36:00Z')),
  };

  it.each(Object.keys(cards))('%s card is valid for Teams', (name) => {
    expect(cardProblems(cards[name])).toEqual([]);
  });

  it('offers every theme of the reference list on the form', () => {
    const json = JSON.stringify(cards.formEmpty);
    for (const theme of THEMES) expect(json).toContain(`"value":"${theme.id}"`);
  });
});

it('shows edit and withdraw to the author only while new, and status tools to the secretariaat only', () => {
  const base = { responses: [], recognised: false, shared: false, organisationName: orgName, municipalities, responseSubmissionId: 'abcdefgh-3' };
  const titles = (c: unknown) => JSON.stringify(c);
  expect(titles(dilemmaDetailCard('nl', { ...base, dilemma: dilemma(), isAuthor: true, isSecretariaat: false }))).toContain('Intrekken');
  expect(titles(dilemmaDetailCard('nl', { ...base, dilemma: dilemma({ status: 'geagendeerd' }), isAuthor: true, isSecretariaat: false }))).not.toContain('Intrekken');
  expect(titles(dilemmaDetailCard('nl', { ...base, dilemma: dilemma(), isAuthor: false, isSecretariaat: false }))).not.toContain('Status wijzigen');
  expect(titles(dilemmaDetailCard('nl', { ...base, dilemma: dilemma(), isAuthor: false, isSecretariaat: true }))).toContain('Status wijzigen');
});

it('repeats on the confirmation what was saved: where, who may see it, and the agenda wish', () => {
  const text = JSON.stringify(dilemmaSavedCard('nl', dilemma({ visibility: 'confidential' }), true, municipalities));
  expect(text).toContain('Huizen, Laren');
  expect(text).toContain('Vertrouwelijk: alleen ik en het secretariaat');
  expect(text).toContain('graag bespreken in het BO');
});

it('names who logged a dilemma by one rule on the list and the detail, and an erased author without empty brackets', () => {
  const base = { responses: [], recognised: false, isAuthor: false, isSecretariaat: false, shared: false, organisationName: orgName, municipalities, responseSubmissionId: 'abcdefgh-9' };
  const list = JSON.stringify(
    dilemmaListCard('nl', { dilemmas: [summaryOf(dilemma())], capped: false, continued: false, filter: {}, organisationName: orgName, municipalities }),
  );
  const detail = JSON.stringify(dilemmaDetailCard('nl', { ...base, dilemma: dilemma() }));
  expect(list).toContain('gemeld door Naam author (Gemeente Hilversum)');
  expect(detail).toContain('Gemeld door Naam author (Gemeente Hilversum) op');
  const erased = dilemma({ author: { tenantId: '', aadObjectId: '', name: '', organisationId: '' } });
  const erasedDetail = JSON.stringify(dilemmaDetailCard('nl', { ...base, dilemma: erased }));
  expect(erasedDetail).toContain('Gemeld door oud-lid op');
  expect(erasedDetail).not.toContain('()');
});

it('says in the notice who responded and that they want to talk further', () => {
  const text = JSON.stringify(
    authorNoticeCard('nl', dilemma(), 'response', new Date('2026-11-29T13:36:00Z'), { name: 'Joost Verbeek', organisation: 'Gemeente Huizen', wantsToTalk: true }),
  );
  expect(text).toContain('Joost Verbeek (Gemeente Huizen) reageerde op je dilemma D-2026-014 en wil doorpraten');
});
