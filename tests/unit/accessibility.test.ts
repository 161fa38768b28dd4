// Every card a person can get from dilemmas, members and the welcome menu, in Dutch and English, can be used
// with a screen reader: each input has a label it reads, a placeholder never stands in for one, and each
// button or action says what it does.
import { organisationFileSchema, type AccessRequest, type Member } from '../../src/features/members/model';
import organisationFile from '../../src/features/members/organisations.json';
import { accessRequestCard, accessRequestNoticeCard, adminCard, decidedCard } from '../../src/features/members/cards';
import { unknownCommandCard, welcomeCard } from '../../src/cards/welcome';
import {
  authorNoticeCard,
  dilemmaDetailCard,
  dilemmaFormCard,
  dilemmaGoneCard,
  dilemmaListCard,
  dilemmaSavedCard,
} from '../../src/features/dilemmas/cards';
import { summaryOf, type Dilemma } from '../../src/features/dilemmas/model';
import { CAPABILITIES } from '../../src/capabilities';
import { personKey } from '../../src/storage/keys';
import type { Locale } from '../../src/i18n';

const organisations = organisationFileSchema.parse(organisationFile).organisations;
const municipalities = organisations.filter((o) => o.kind === 'gemeente');
const orgName = (id: string) => organisations.find((o) => o.id === id)?.name ?? id;
const plans = [
  { id: 'plan-1', name: 'Oostereng' },
  { id: 'plan-2', name: 'Larenweg' },
];
const request: AccessRequest = {
  tenantId: 't',
  aadObjectId: 'a',
  name: 'Nina Nieuw',
  organisationId: 'huizen',
  role: 'wethouder',
  status: 'pending',
  requestedAt: '2026-11-29T10:00:00.000Z',
};
const members: Member[] = [0, 1, 2].map((i) => ({
  tenantId: 't',
  aadObjectId: `m${i}`,
  name: `Lid ${i}`,
  organisationId: 'laren',
  role: i === 0 ? 'secretariaat' : 'wethouder',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
}));
const dilemma: Dilemma = {
  id: 'D-2026-014',
  title: 'Netcongestie houdt oplevering tegen',
  description: 'Er is geen aansluiting op het net voor 2029.',
  theme: 'netcongestie',
  municipalities: ['huizen'],
  relatedPlan: '',
  relatedPlanId: 'plan-1',
  visibility: 'confidential',
  wantsAgenda: true,
  status: 'nieuw',
  outcome: '',
  author: { tenantId: 't', aadObjectId: 'author', name: 'Anna', organisationId: 'huizen' },
  recognisedBy: [personKey('t', 'other')],
  responseCount: 1,
  createdAt: '2026-11-29T10:00:00Z',
  updatedAt: '2026-11-29T10:00:00Z',
};
const response = { dilemmaId: dilemma.id, author: dilemma.author, text: 'Aanvulling', wantsToTalk: false, createdAt: '2026-11-29T13:36:00Z' };

function everyCard(locale: Locale): Record<string, unknown> {
  const detail = (extra: Partial<Parameters<typeof dilemmaDetailCard>[1]>) =>
    dilemmaDetailCard(locale, {
      dilemma,
      responses: [response],
      recognised: false,
      isAuthor: false,
      isSecretariaat: false,
      shared: false,
      organisationName: orgName,
      municipalities,
      responseSubmissionId: 'abcdefgh-1',
      ...extra,
    });
  // Every menu button a capability has a label for (its "menu.*" messages).
  const menu = CAPABILITIES.flatMap((c) =>
    Object.keys(c.messages.nl)
      .filter((key) => key.startsWith('menu.'))
      .map((key) => ({ label: (l: Locale) => (c.messages[l] as Record<string, string>)[key]!, command: key })),
  );
  return {
    welcome: welcomeCard(locale, menu, 'secretariaat', { name: 'Sanne', role: 'secretariaat', organisation: 'Regio' }),
    welcomeNothing: welcomeCard(locale, menu, 'gespreksleider'),
    unknown: unknownCommandCard(locale, 'iets'),
    accessForm: accessRequestCard(locale, organisations, { problems: { organisationId: 'missing', role: 'missing' } }),
    accessNotice: accessRequestNoticeCard(locale, request, orgName),
    decided: decidedCard(locale, { ...request, status: 'approved' }),
    admin: adminCard(locale, [request], members, orgName, {}, { self: members[0]! }),
    form: dilemmaFormCard(locale, { submissionId: 'abcdefgh', municipalities }),
    formWithPlans: dilemmaFormCard(locale, {
      submissionId: 'abcdefgh',
      municipalities,
      plans,
      values: { relatedPlan: 'Iets anders' },
      problems: { title: 'required', municipalities: 'required', relatedPlanId: 'invalidChoice' },
    }),
    saved: dilemmaSavedCard(locale, dilemma, true, municipalities, plans),
    listEmpty: dilemmaListCard(locale, { dilemmas: [], capped: false, continued: false, filter: {}, organisationName: orgName, municipalities }),
    listFiltered: dilemmaListCard(locale, {
      dilemmas: [summaryOf(dilemma)],
      next: '8209-7973999985',
      capped: true,
      continued: false,
      filter: { theme: 'stikstof', plan: 'plan-2', words: 'net' },
      organisationName: orgName,
      municipalities,
      plans,
    }),
    detailForOther: detail({}),
    detailForAuthor: detail({ isAuthor: true, responses: [] }),
    detailForSecretariaat: detail({ isSecretariaat: true, notice: 'ok' }),
    noticeStatus: authorNoticeCard(locale, { ...dilemma, status: 'besproken', outcome: 'Besproken.' }, 'status', new Date()),
    gone: dilemmaGoneCard(locale),
  };
}

interface Found {
  inputs: Array<Record<string, unknown>>;
  actions: Array<Record<string, unknown>>;
}

function walk(node: unknown, found: Found = { inputs: [], actions: [] }): Found {
  if (Array.isArray(node)) node.forEach((n) => walk(n, found));
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (typeof o.type === 'string' && o.type.startsWith('Input.')) found.inputs.push(o);
    if (typeof o.type === 'string' && o.type.startsWith('Action.')) found.actions.push(o);
    Object.values(o).forEach((v) => walk(v, found));
  }
  return found;
}

describe.each<Locale>(['nl', 'en'])('cards in %s', (locale) => {
  const cards = everyCard(locale);

  it.each(Object.keys(cards))('%s: every input has a label, not a placeholder in its place', (name) => {
    const { inputs } = walk(cards[name]);
    for (const input of inputs) {
      expect({ id: input.id, label: typeof input.label === 'string' ? input.label.trim() : '' }).toEqual({ id: input.id, label: expect.stringMatching(/\S/) });
      // A placeholder that only says "choose" tells a screen reader user nothing about the field.
      if (input.placeholder !== undefined) expect(String(input.placeholder)).not.toMatch(/^(Kies|Choose)…?$/);
    }
  });

  it.each(Object.keys(cards))('%s: every button and action says what it does', (name) => {
    const { actions } = walk(cards[name]);
    for (const action of actions) expect({ type: action.type, title: String(action.title ?? '').trim() }).toEqual({ type: action.type, title: expect.stringMatching(/\S/) });
  });

  it('shows the dilemma form dropdowns with their own names', () => {
    const { inputs } = walk(cards.form);
    const names = Object.fromEntries(inputs.map((i) => [i.id, i.label]));
    expect(names.theme).toBe(locale === 'nl' ? 'Thema' : 'Theme');
    expect(String(names.municipalities)).toMatch(locale === 'nl' ? /gemeente/ : /municipalit/);
  });

  it('says in words what is wrong, beside the red line', () => {
    const text = JSON.stringify(cards.formWithPlans);
    expect(text).toContain(locale === 'nl' ? 'Kies een of meer gemeenten.' : 'Choose one or more municipalities.');
    expect(text).not.toMatch(/rode tekst|red text/);
  });
});
