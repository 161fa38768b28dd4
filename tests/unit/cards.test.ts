// Every card the foundation sends parses with the adaptivecards package, stays at 1.5 and under 80 KB.
import { organisationFileSchema, type AccessRequest, type Member } from '../../src/features/members/model';
import organisationFile from '../../src/features/members/organisations.json';
import {
  accessRequestCard,
  accessRequestNoticeCard,
  adminCard,
  decidedCard,
  MEMBERS_ON_CARD,
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
  name: `Lid ${i} met een vrij lange naam om de kaart te vullen`,
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
    adminFull: adminCard(locale, Array.from({ length: 30 }, () => request), Array.from({ length: 300 }, (_, i) => member(i)), orgName),
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

it('lists at most a card-full of members and says how many more there are', () => {
  const card = JSON.stringify(adminCard('nl', [], Array.from({ length: MEMBERS_ON_CARD + 7 }, (_, i) => member(i)), orgName));
  expect(card).toContain('En nog 7 leden');
});

it('echoes only a short piece of an unknown command', () => {
  const card = JSON.stringify(unknownCommandCard('nl', 'a'.repeat(500)));
  expect(card).not.toContain('a'.repeat(41));
});

it('keeps the beheer search on every button, so the card comes back the same after a change', () => {
  const card = JSON.stringify(adminCard('nl', [request], [member(1)], orgName, 'Lid 1'));
  expect(card.match(/"search":"Lid 1"/g)?.length).toBe(4);
});
