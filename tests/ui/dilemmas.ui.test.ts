// Dilemmas as people see them in the browser: the menu, logging one through the form (with a mistake and its
// correction), finding it in a list with a filter, and another member recognising it and responding, which the
// author sees as a notice in their own chat.
import type { Page } from 'playwright-core';
import { button, cardWith, dilemmaBy, chromiumMissing, picture, say, scrolledTo, seen, startUi, unseen, until, type UiRun } from './browser';
import { AccessibilityFindings } from './axe';

const missing = chromiumMissing();
if (missing) throw new Error(`npm run test:ui needs Chromium: ${missing}`);

let ui: UiRun;
const accessibility = new AccessibilityFindings();
let marieke: Page;
let joost: Page;

beforeAll(async () => {
  ui = await startUi(['marieke', 'joost']);
  marieke = ui.people.get('marieke')!.page;
  joost = ui.people.get('joost')!.page;
  // Another member's dilemma on another theme, so the filter has something to leave out.
  await dilemmaBy(ui, 'fatima', {
    title: 'Grondprijs maakt sociale huur onhaalbaar',
    description: 'De residuele grondwaarde laat geen ruimte voor een derde sociale huur.',
    theme: 'financiering',
    municipalities: ['huizen'],
    wantsAgenda: false,
  });
}, 120_000);

afterAll(async () => {
  await ui?.stop();
});

it('shows the menu on "help" with buttons that say what they do', async () => {
  await say(marieke, 'help');
  const menu = cardWith(marieke, 'Welkom bij BO Wonen');
  await seen(menu.getByText('Welkom bij BO Wonen'));
  await seen(menu.getByText('Hallo Marieke van Dalen'));
  await seen(button(menu, 'Dilemma melden'));
  await seen(button(menu, "Dilemma's bekijken"));
  await picture(menu, 'menu');
  await accessibility.check(marieke);
});

let dilemmaId = '';

it('logs a dilemma through the form: a missing title is pointed out, and after the correction it is saved', async () => {
  await button(cardWith(marieke, 'Welkom bij BO Wonen'), 'Dilemma melden').click();
  const form = cardWith(marieke, 'Loop je tegen iets aan');
  await seen(form.getByLabel('Beschrijving'));
  await form.getByLabel('Beschrijving').fill('De netbeheerder kan pas in 2029 aansluiten. Het plan ligt daardoor stil.');
  await form.getByRole('combobox', { name: /Thema/ }).click();
  await marieke.getByRole('option', { name: 'netcongestie en energie', exact: false }).first().click();
  await form.getByRole('combobox', { name: /gemeente/ }).click();
  await marieke.getByRole('menuitemcheckbox', { name: 'Hilversum' }).first().click();
  await marieke.keyboard.press('Escape');
  await picture(form, 'dilemma-formulier');
  await button(form, 'Dilemma opslaan').click();

  // No title: the form says so at the field, in view, and is not sent.
  await seen(form.getByText('Vul dit in.'));
  await picture(form, 'dilemma-formulier-fout');
  await accessibility.check(marieke);

  // What was typed is still there; add the title and save again.
  await form.getByLabel('Titel (kort)').fill('Netcongestie houdt 120 woningen tegen');
  await button(form, 'Dilemma opslaan').click();
  const saved = marieke.getByText(/Je dilemma is opgeslagen als D-/).last();
  await seen(saved);
  dilemmaId = /opgeslagen als (D-\S+)\.$/.exec((await saved.textContent())?.trim() ?? '')![1]!;
  await unseen(marieke.getByText('Vul dit in.'));
  await picture(cardWith(marieke, 'opgeslagen als'), 'dilemma-opgeslagen');
});

it('finds the dilemma in a list, narrows it with a filter, and opens the detail', async () => {
  await say(joost, "dilemma's");
  const list = cardWith(joost, /Zoek op woorden/);
  await seen(list.getByText('Netcongestie houdt 120 woningen tegen').first());
  await seen(list.getByText('Grondprijs maakt sociale huur onhaalbaar').first());
  await picture(list, 'dilemma-lijst');
  await accessibility.check(joost);

  await list.getByRole('combobox', { name: /Thema/ }).click();
  await joost.getByRole('option', { name: 'Netcongestie en energie' }).first().click();
  await button(list, 'Zoeken').click();
  // The list now holds the netcongestie dilemma and no longer the one about the land price.
  const filtered = cardWith(joost, /Zoek op woorden/);
  await until(async () => {
    const text = await filtered.innerText();
    return text.includes('Netcongestie houdt 120 woningen tegen') && !text.includes('Grondprijs maakt sociale huur onhaalbaar') ? true : text.slice(0, 300);
  }, 'the filtered list holds only the netcongestie dilemma');
  await seen(filtered.getByText('Netcongestie houdt 120 woningen tegen').first());
  await picture(filtered, 'dilemma-filter');

  await button(filtered, `Bekijk ${dilemmaId}`).click();
  const detail = cardWith(joost, /Gemeld door Marieke van Dalen/);
  await seen(detail.getByText(/Gemeld door Marieke van Dalen/));
  await seen(button(detail, 'Herkenbaar'));
  await picture(detail, 'dilemma-detail');
  await accessibility.check(joost);
});

it('lets another member recognise it and respond, and the author sees the notice in her chat', async () => {
  const detail = cardWith(joost, /Gemeld door Marieke van Dalen/);
  await button(detail, 'Herkenbaar').click();
  await seen(joost.getByText(/Je herkent dit dilemma/).last());

  await button(cardWith(joost, /Gemeld door Marieke van Dalen/), 'Reageer / deel kennis').click();
  // The field opens at the bottom edge of the chat (the Playground does not scroll to it): a person scrolls.
  const field = joost.getByLabel('Je reactie of kennis').last();
  await scrolledTo(field);
  await field.fill('In Huizen hielp een tijdelijke buurtbatterij. Bel me gerust.');
  await picture(cardWith(joost, /Gemeld door Marieke van Dalen/), 'dilemma-reageren');
  await button(joost, 'Reactie versturen').click();
  await seen(joost.getByText(`Dank je. Je reactie staat bij ${dilemmaId}.`).last());

  // Marieke, in her own browser, gets the notice without doing anything.
  const notice = marieke.getByText(new RegExp(`reageerde op je dilemma ${dilemmaId}`)).last();
  await seen(notice);
  await picture(cardWith(marieke, /reageerde op je dilemma/), 'dilemma-bericht-reactie');
  await accessibility.check(marieke);
});

it("loads nothing from outside the machine but the Playground's own fonts and script (refused)", () => {
  expect(ui.outside.filter((url) => !url.startsWith('https://res-1.cdn.office.net/'))).toEqual([]);
});

it('shows only cards that pass axe-core (names, alt text, buttons, 4.5:1 contrast)', () => {
  expect([...accessibility.lines]).toEqual([]);
});
