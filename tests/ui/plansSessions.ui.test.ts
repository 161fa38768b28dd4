// Plans, progress and sessions as a member sees them in the browser: a plan found by a misspelled name, the
// region's progress, and signing up for a session and cancelling again.
import type { Page } from 'playwright-core';
import { button, cardWith, chromiumMissing, picture, say, scrolledTo, seen, startUi, type UiRun } from './browser';
import { AccessibilityFindings } from './axe';

const missing = chromiumMissing();
if (missing) throw new Error(`npm run test:ui needs Chromium: ${missing}`);

let ui: UiRun;
const accessibility = new AccessibilityFindings();
let marieke: Page;

beforeAll(async () => {
  ui = await startUi(['marieke']);
  marieke = ui.people.get('marieke')!.page;
}, 120_000);

afterAll(async () => {
  await ui?.stop();
});

it('finds a plan by a misspelled name and shows its status', async () => {
  await say(marieke, 'plan boomgard');
  const plan = cardWith(marieke, 'De Boomgaard');
  // The card with its legend is taller than the chat: a person scrolls up to the plan's name.
  await scrolledTo(plan.getByText('De Boomgaard').first());
  await seen(plan.getByText(/in aanbouw/i).first());
  await picture(plan, 'plan-status');
  await accessibility.check(marieke);
});

it('shows the progress towards the regional goal', async () => {
  await say(marieke, 'voortgang');
  const progress = cardWith(marieke, /Voortgang woningbouw/);
  // Taller than the screen: its end shows first (the note on what counts), the headline after scrolling up.
  await seen(progress.getByText(/Telt plannen met oplevering/));
  await scrolledTo(progress.getByText(/Voortgang woningbouw 2022/));
  await seen(progress.getByText(/woningen zijn in beeld/));
  await picture(progress, 'voortgang');
  await accessibility.check(marieke);
});

it('signs up for a session and cancels again', async () => {
  await say(marieke, 'sessies');
  const list = cardWith(marieke, 'Meld je aan voor de praktijkleergang');
  await seen(button(list, 'Aanmelden'));
  await scrolledTo(list.getByText('Meld je aan voor de praktijkleergang'));
  await picture(list, 'sessies', 700);
  await accessibility.check(marieke);

  await button(list, 'Aanmelden').first().click();
  // The list is replaced with the confirmation at its top, far above the screen: a person scrolls up to it.
  const signedUp = marieke.getByText(/Je bent aangemeld voor "/).last();
  await scrolledTo(signedUp);
  const title = /"(.+)"/.exec((await signedUp.textContent()) ?? '')![1]!;
  await picture(cardWith(marieke, /Je bent aangemeld voor "/), 'sessie-aangemeld', 500);

  await say(marieke, 'mijn sessies');
  const mine = cardWith(marieke, /Mijn sessies/);
  // In a sentence the title's own quotes become single ones; the list shows the title as it was typed.
  await seen(mine.getByText(title.replace(/[‘’]/g, '"')).first());
  await button(mine, 'Afmelden').click();
  await scrolledTo(marieke.getByText(`Je bent afgemeld voor "${title}".`).last());
});

it('shows a member the next BO agenda and what BO Wonen keeps about her', async () => {
  await say(marieke, 'agenda');
  const agenda = cardWith(marieke, /Agenda BO/);
  await seen(agenda.getByText('Rondvraag').first());
  await scrolledTo(agenda.getByText(/Agenda BO/).first());
  // A member reads the agenda; the buttons to change it are the secretariaat's.
  expect(await agenda.getByRole('button', { name: 'Agenda vaststellen' }).count()).toBe(0);
  await picture(agenda, 'agenda');
  await accessibility.check(marieke);

  await say(marieke, 'mijn gegevens');
  const data = cardWith(marieke, 'Dit bewaart BO Wonen over jou');
  await scrolledTo(data.getByText(/Dit bewaart BO Wonen over jou, Marieke van Dalen/));
  await picture(data, 'mijn-gegevens');
  await accessibility.check(marieke);
});

it('shows only cards that pass axe-core (names, alt text, buttons, 4.5:1 contrast)', () => {
  expect([...accessibility.lines]).toEqual([]);
});
