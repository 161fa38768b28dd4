// The secretariaat's work as it looks in the browser: placing a candidate on the BO agenda, fixing the agenda and
// sending the digest, which a member then sees in her own chat; and the cards for members, sessions, the
// delivery report and the logboek. Pieter de Graaf is secretariaat, Marieke van Dalen a wethouder.
import type { Page } from 'playwright-core';
import { button, cardWith, dilemmaBy, chromiumMissing, picture, say, scrolledTo, seen, startUi, type UiRun } from './browser';
import { AccessibilityFindings } from './axe';

const missing = chromiumMissing();
if (missing) throw new Error(`npm run test:ui needs Chromium: ${missing}`);

let ui: UiRun;
const accessibility = new AccessibilityFindings();
let marieke: Page;
let pieter: Page;

beforeAll(async () => {
  ui = await startUi(['marieke', 'pieter']);
  marieke = ui.people.get('marieke')!.page;
  pieter = ui.people.get('pieter')!.page;
  // A member asked for her dilemma to be discussed in the BO: the secretariaat sees it as a candidate.
  await dilemmaBy(ui, 'marieke', {
    title: 'Stapeling van opgaven rond het station',
    description: 'Woningbouw, een nieuw busstation en de spoorkruising vragen tegelijk om geld en mensen.',
    theme: 'stapeling',
    municipalities: ['hilversum'],
    wantsAgenda: true,
  });
}, 120_000);

afterAll(async () => {
  await ui?.stop();
});

it('places a candidate on the agenda and fixes the agenda', async () => {
  await say(pieter, 'agenda');
  const agenda = cardWith(pieter, /Agenda BO/);
  await seen(agenda.getByText('Kan op de agenda'));
  await picture(agenda, 'agenda-beheer');
  await accessibility.check(pieter);

  await button(agenda, 'Op de agenda').first().click();
  // The card is replaced: the new item shows at its end, where the person looks; the confirmation is at its
  // top, above the screen, and is read by scrolling up.
  const placed = cardWith(pieter, /staat nu op de agenda/);
  await seen(placed.getByText('Er liggen geen voorstellen voor de agenda klaar.'));
  await seen(placed.getByText(/Stapeling van opgaven rond het station/).last());
  await scrolledTo(placed.getByText(/staat nu op de agenda\. De melder krijgt bericht\./));

  await button(placed, 'Agenda vaststellen').click();
  await button(cardWith(pieter, /Agenda BO/), 'Ja, vaststellen').click();
  await scrolledTo(pieter.getByText('De agenda is vastgesteld.').last());
  await picture(cardWith(pieter, 'De agenda is vastgesteld.'), 'agenda-vastgesteld');
});

it('sends the digest, shows the delivery report, and the member sees the digest in her chat', async () => {
  await say(pieter, 'digest versturen');
  const report = cardWith(pieter, 'Verzendrapport digest');
  await scrolledTo(report.getByText('Verzendrapport digest'));

  const digest = cardWith(marieke, 'Je BO Wonen digest');
  await seen(digest.getByText(/Je krijgt deze digest elke maandag/));
  await scrolledTo(digest.getByText('Je BO Wonen digest'));
  await seen(digest.getByText(/Volgende BO/).first());
  await picture(digest, 'digest');
  await accessibility.check(marieke);

  await say(pieter, 'digest rapport');
  const later = cardWith(pieter, 'Verzendrapport digest');
  await scrolledTo(later.getByText('Verzendrapport digest'));
  await picture(later, 'verzendrapport');
  await accessibility.check(pieter);
});

it('shows the secretariaat its management card, a session with its attendees, and the logboek', async () => {
  await say(pieter, 'beheer');
  const beheer = cardWith(pieter, /Beheer/);
  await scrolledTo(beheer.getByText(/Beheer/).first());
  await picture(beheer, 'beheer');
  await accessibility.check(pieter);

  await say(pieter, 'sessies');
  const sessions = cardWith(pieter, 'Meld je aan voor de praktijkleergang');
  await button(sessions, 'Deelnemers').first().click();
  const attendees = cardWith(pieter, /Deelnemers: /);
  await seen(attendees.getByText(/Aangemeld \(\d+ van \d+\)/));
  await scrolledTo(attendees.getByText(/Deelnemers: /).first());
  await picture(attendees, 'deelnemers');

  await say(pieter, 'logboek');
  const log = cardWith(pieter, /Logboek/i);
  await scrolledTo(log.getByText(/Logboek/i).first());
  await picture(log, 'logboek');
  await accessibility.check(pieter);
});

it('shows only cards that pass axe-core (names, alt text, buttons, 4.5:1 contrast)', () => {
  expect([...accessibility.lines]).toEqual([]);
});
