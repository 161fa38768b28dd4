// A member types help in a personal chat and in a channel, over real HTTP with Teams-shaped activities.
import { startTestBot, people, channel, cardOf, readable, buttonsOf, type TestBot } from '../helpers/harness';

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot();
});
afterAll(async () => {
  await bot.stop();
});

it('shows the Dutch welcome card with a Beheer button to a bootstrap secretariaat member', async () => {
  const replies = await bot.say(people.admin, 'help');
  expect(replies).toHaveLength(1);
  const card = cardOf(replies[0]);
  expect(card?.version).toBe('1.5');
  expect(readable(replies[0])).toContain('Welkom bij BO Wonen');
  expect(buttonsOf(replies[0]).map((b) => b.title)).toContain('Beheer');
  expect(replies[0]!.activity.summary).toBeTruthy();
  // "Je rol: secretariaat bij …", not "Je bent secretariaat bij …" (a role is not who you are).
  expect(readable(replies[0])).toMatch(/Je rol: secretariaat bij \S/);
  expect(readable(replies[0])).not.toContain('Je bent ');
});

it('answers an @mention in a team channel the same way', async () => {
  const replies = await bot.say(people.admin, '<at>BO Wonen</at> hulp', channel);
  expect(readable(replies[0])).toContain('Welkom bij BO Wonen');
});

it.each(['wat kan ik hier?', 'help me', 'Hoe werkt dit?', 'what can I do here'])('opens the menu for the question "%s"', async (question) => {
  const replies = await bot.say(people.admin, question);
  expect(readable(replies[0])).toContain('Welkom bij BO Wonen');
});

it('still says it does not understand words that are not a question about the bot', async () => {
  const replies = await bot.say(people.admin, 'banaan');
  expect(readable(replies[0])).toContain('Dat begrijp ik niet');
});

it.each([
  ["dilema's", "dilemma's"],
  ['sesies', 'sessies'],
  ['voortgnag', 'voortgang'],
  ['Mijn sesies', 'mijn sessies'],
])('forgives the typo "%s" as "%s"', async (typo, command) => {
  const [meant] = await bot.say(people.admin, command);
  const [typed] = await bot.say(people.admin, typo);
  expect(readable(typed)).not.toContain('Dat begrijp ik niet');
  expect(readable(typed)).toBe(readable(meant));
});

it('asks "Bedoel je …?" with a button per command when a typo is as close to two commands', async () => {
  const [reply] = await bot.say(people.admin, 'dilemmax');
  expect(readable(reply)).toContain("Bedoel je dilemma of dilemma's?");
  expect(buttonsOf(reply).map((b) => b.title)).toEqual(['dilemma', "dilemma's", 'Menu']);
});
