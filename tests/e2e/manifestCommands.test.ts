// Every command the Teams menu offers must be one the bot answers: no menu entry may lead to "Dat begrijp ik niet".
import manifest from '../../appPackage/manifest.json';
import english from '../../appPackage/en.json';
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
// The English menu (en.json) sends its own titles: each must be a command the bot answers too.
const englishTitle = (l: number, c: number) => (english as Record<string, string>)[`bots[0].commandLists[${l}].commands[${c}].title`];
const cases = lists.flatMap((list, l) =>
  list.commands.flatMap((c, i) => [[list.scopes.join('/'), c.title] as const, [list.scopes.join('/'), englishTitle(l, i) ?? 'missing English title'] as const]),
);

it.each(cases)('answers the %s menu command "%s"', async (scopes, title) => {
  const conversation = scopes.includes('personal') ? personalChat(people.admin) : channel;
  const text = conversation === channel ? `<at>BO Wonen</at> ${title}` : title;
  const replies = await bot.say(people.admin, text, conversation);
  expect(replies.length).toBeGreaterThan(0);
  expect(replies.map(readable).join('\n')).not.toContain('Dat begrijp ik niet');
});
