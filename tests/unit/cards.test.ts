// Every card the foundation sends parses with the adaptivecards package, stays at 1.5 and under 80 KB.
import { organisationFileSchema, type AccessRequest, type Member } from '../../src/features/members/model';
import organisationFile from '../../src/features/members/organisations.json';
import {
  accessRequestCard,
  accessRequestNoticeCard,
  adminCard,
  decidedCard,
  MEMBERS_PER_PAGE,
} from '../../src/features/members/cards';
import { unknownCommandCard, welcomeCard } from '../../src/cards/welcome';
import { cardProblems } from '../helpers/cards';
import type { Locale } from '../../src/i18n';
import { t } from '../../src/features/members/messages';

const organisations = organisationFileSchema.parse(organisationFile).organisations;
const orgName = (id: string) => organisations.find((o) => o.id === id)?.name ?? id;
const request: AccessRequest = {
  tenantId: 't',
  aadObjectId: 'a',
  name: 'Nina Nieuw',
  organisationId: 'huizen',
  role: 'wethouder',
  status: 'pending',
  requestedAt: '2026-11-29T10:00:00.000Z',
};
const member = (i: number): Member => ({
  tenantId: 't',
  aadObjectId: `m${i}`,
  name: `Lid ${i} met een lange naam om de kaart te vullen`,
  organisationId: organisations[i % organisations.length]!.id,
  role: i === 0 ? 'secretariaat' : 'wethouder',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

describe.each<Locale>(['nl', 'en'])('cards in %s', (locale) => {
  const cards: Record<string, unknown> = {
    welcome: welcomeCard(locale, [{ label: (l) => t(l, 'menu.admin'), command: 'beheer', roles: ['secretariaat'] }], 'secretariaat', {
      name: 'Sanne',
      role: 'secretariaat',
      organisation: 'Regio',
    }),
    unknown: unknownCommandCard(locale, 'x'.repeat(5000)),
    accessEmpty: accessRequestCard(locale, organisations),
    accessWithErrors: accessRequestCard(locale, organisations, { organisationId: 'huizen', problems: { role: 'missing' } }),
    notice: accessRequestNoticeCard(locale, request, orgName),
    decided: decidedCard(locale, { ...request, status: 'approved' }),
    adminEmpty: adminCard(locale, [], [], orgName),
    adminFull: adminCard(locale, Array.from({ length: 30 }, () => request), Array.from({ length: 300 }, (_, i) => member(i)), orgName, { search: 'Lid', offset: 100 }),
  };

  it.each(Object.keys(cards))('%s card is valid for Teams', (name) => {
    expect(cardProblems(cards[name])).toEqual([]);
  });
});

it('keeps what was chosen and names the missing field when the access form comes back', () => {
  const card = JSON.stringify(accessRequestCard('nl', organisations, { organisationId: 'huizen', problems: { role: 'missing' } }));
  expect(card).toContain('"value":"huizen"');
  expect(card).toContain('Kies je functie.');
  expect(card).not.toContain('"organisationId-error"');
});

it('shows the welcome card Beheer button only to the secretariaat', () => {
  const items = [{ label: (l: Locale) => t(l, 'menu.admin'), command: 'beheer', roles: ['secretariaat' as const] }];
  expect(JSON.stringify(welcomeCard('nl', items, 'secretariaat'))).toContain('Beheer');
  expect(JSON.stringify(welcomeCard('nl', items, 'wethouder'))).not.toContain('Beheer');
});

it('lists one page of members with "Meer leden" to the next page, and "Vorige leden" back', () => {
  const all = Array.from({ length: MEMBERS_PER_PAGE + 7 }, (_, i) => member(i));
  const first = adminCard('nl', [], all, orgName);
  const text = JSON.stringify(first);
  expect(text).toContain(`Leden 1 tot en met ${MEMBERS_PER_PAGE} van ${MEMBERS_PER_PAGE + 7}.`);
  expect(text).toContain(all[MEMBERS_PER_PAGE - 1]!.name);
  expect(first.actions).toEqual([expect.objectContaining({ title: 'Meer leden', data: { verb: 'adminPage', offset: MEMBERS_PER_PAGE } })]);
  const second = adminCard('nl', [], all, orgName, { offset: MEMBERS_PER_PAGE });
  expect(JSON.stringify(second)).toContain(`Leden ${MEMBERS_PER_PAGE + 1} tot en met ${MEMBERS_PER_PAGE + 7} van`);
  expect(second.actions).toEqual([expect.objectContaining({ title: 'Vorige leden', data: { verb: 'adminPage', offset: 0 } })]);
});

it('shows five open requests and says how many more wait', () => {
  const card = JSON.stringify(adminCard('nl', Array.from({ length: 8 }, () => request), [], orgName));
  expect(card.match(/"verb":"decideAccess","decision":"approved"/g)).toHaveLength(5);
  expect(card).toContain('En nog 3 aanvragen.');
});

it('echoes only a short piece of an unknown command', () => {
  const card = JSON.stringify(unknownCommandCard('nl', 'a'.repeat(500)));
  expect(card).not.toContain('a'.repeat(41));
});

it('keeps the beheer search on every button, so the card comes back the same after a change', () => {
  const card = JSON.stringify(adminCard('nl', [request], [member(1)], orgName, { search: 'Lid 1' }));
  expect(card.match(/"search":"Lid 1"/g)?.length).toBe(4);
});
