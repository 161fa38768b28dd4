// Every command the Teams menu offers must be one the bot answers: no menu entry may lead to "Dat begrijp ik niet".
import manifest from '../../appPackage/manifest.json';
import { startTestBot, people, personalChat, channel, readable, type TestBot } from '../helpers/harness';

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot();
});
afterAll(async () => {
  await bot.stop();
});

const lists = (manifest as { bots: Array<{ commandLists: Array<{ scopes: string[]; commands: Array<{ title: string }> }> }> }).bots[0]!
  .commandLists;
const cases = lists.flatMap((list) => list.commands.map((c) => [list.scopes.join('/'), c.title] as const));

it.each(cases)('answers the %s menu command "%s"', async (scopes, title) => {
  const conversation = scopes.includes('personal') ? personalChat(people.admin) : channel;
  const text = conversation === channel ? `<at>BO Wonen</at> ${title}` : title;
  const replies = await bot.say(people.admin, text, conversation);
  expect(replies.length).toBeGreaterThan(0);
  expect(replies.map(readable).join('\n')).not.toContain('Dat begrijp ik niet');
});
