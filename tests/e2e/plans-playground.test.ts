// Plans in the Microsoft 365 Agents Playground, the local Teams client: the wethouder of the Playground file
// asks for a plan by a misspelled name and for `voortgang`, the way `npm start` offers them.
import { readFileSync } from 'node:fs';
import { SAMPLE_FILE } from '../../src/features/plans';
import { readPlaygroundFile } from '../../scripts/playground';
import { cardProblems } from '../helpers/cards';
import { playgroundPost, startPlaygroundSession, type PlaygroundSession } from '../helpers/playground';

const file = readPlaygroundFile();
let session: PlaygroundSession;

beforeAll(async () => {
  session = await startPlaygroundSession({ seed: async (app) => void (await app.services.plans.seed(readFileSync(SAMPLE_FILE))) });
}, 60_000);

afterAll(async () => {
  await session?.stop();
});

async function ask(text: string): Promise<Record<string, unknown>> {
  const from = session.frames.length;
  await playgroundPost(session.playground, `/_conversation/v1/conversations/${encodeURIComponent(file.personalChat.id)}/messages`, {
    from: { id: file.currentUser.id },
    text,
    textFormat: 'plain',
  });
  const answer = (await session.waitFor((fs) => fs.some((f) => f.action === 'createMessage'), from, `answer to "${text}"`)).find(
    (f) => f.action === 'createMessage',
  );
  const card = answer!.message?.attachments?.[0]?.content;
  if (!card) throw new Error(`no card in the answer to "${text}"`);
  return card;
}

it('shows the card of a plan asked for with a typo', async () => {
  const card = await ask('plan zonnewijzrhof');
  expect(JSON.stringify(card)).toContain('Zonnewijzerhof');
  expect(JSON.stringify(card)).toContain('Volg dit plan');
  expect(cardProblems(card)).toEqual([]);
});

it('shows the regional progress with bars the Playground can draw', async () => {
  const card = await ask('voortgang');
  const json = JSON.stringify(card);
  expect(json).toContain('van de 7.000 woningen zijn in beeld');
  // The chart's fallback is the bar; the legend with every stage's number is outside it, for every client.
  expect(json).toContain('"fallback":{"type":"ColumnSet"');
  expect(json).toMatch(/Opgeleverd: \*\*\d/);
  expect(json).toContain('"style":"good"');
});
