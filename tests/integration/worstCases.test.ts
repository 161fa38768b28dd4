// Every message at the largest data the model allows fits real Teams: each capability declares its worst
// cases (`worstCases` in its index.ts) and this test walks them, with the core's welcome card for every role.
// A new capability is covered by declaring its worst cases; no new test code.
import { MESSAGE_BUDGET_BYTES, utf16Bytes } from '../../src/cards/budget';
import { welcomeCard } from '../../src/cards/welcome';
import type { AdaptiveCard } from '../../src/cards/adaptive';
import { CAPABILITIES } from '../../src/capabilities';
import type { MenuItem } from '../../src/capability';
import { ROLES } from '../../src/identity';
import type { Locale } from '../../src/i18n';
import { cardActivity } from '../../src/turn';
import { actionSetProblems, cardProblems } from '../helpers/cards';
import { startTestBot, type TestBot } from '../helpers/harness';

const LOCALES: Locale[] = ['nl', 'en'];
let bot: TestBot;
let menu: MenuItem[];

beforeAll(async () => {
  // The menu is what every capability's routes declare, as the running bot composes it.
  bot = await startTestBot({ OUTBOX_WORKER: 'off' });
  menu = bot.app.routes.flatMap((r) => r.menu ?? []);
});
afterAll(() => bot.stop());

/** What the bot sends for a worst case: the card wrapped as an activity, or a plain text message. */
function asSent(message: AdaptiveCard | string): unknown {
  return typeof message === 'string' ? { type: 'message', text: message } : cardActivity(message);
}

function problemsOf(message: AdaptiveCard | string): string[] {
  const size = utf16Bytes(asSent(message));
  const sizeProblem = size > MESSAGE_BUDGET_BYTES ? [`${size} bytes UTF-16, over ${MESSAGE_BUDGET_BYTES}`] : [];
  if (typeof message === 'string') return sizeProblem;
  // Teams draws Chart.* elements; other clients show the card's fallback (the Playground does): not a problem.
  const chartFallback = /Unknown element type "Chart\.[A-Za-z.]+"\. Fallback will be used/;
  return [...sizeProblem, ...cardProblems(message).filter((p) => !chartFallback.test(p)), ...actionSetProblems(message)];
}

describe.each(LOCALES)('worst cases in %s', (locale) => {
  it.each(CAPABILITIES.map((c) => [c.name, c] as const))('%s: every declared message fits Teams', async (_name, capability) => {
    const cases = capability.worstCases?.(locale) ?? [];
    for (const worst of cases) {
      const message = await worst.build();
      expect({ name: worst.name, problems: problemsOf(message) }).toEqual({ name: worst.name, problems: [] });
    }
  });

  it.each([...ROLES])('the welcome card for a %s fits Teams', (role) => {
    const longest = 'W'.repeat(200);
    const card = welcomeCard(locale, menu, role, { name: longest, role, organisation: 'O'.repeat(120) });
    expect(problemsOf(card)).toEqual([]);
  });
});

it('finds worst cases declared by every capability that answers commands', () => {
  const answering = bot.app.built.filter((b) => (b.routes.commands ?? []).length > 0).map((b) => b.capability);
  expect(answering.length).toBeGreaterThan(0);
  const missing = answering.filter((c) => (c.worstCases?.('nl') ?? []).length === 0).map((c) => c.name);
  expect(missing).toEqual([]);
});

describe('the action check', () => {
  it('finds a seventh action in a set, also inside a card that a button opens', () => {
    const seven = Array.from({ length: 7 }, (_, i) => ({ type: 'Action.Submit', title: `${i}` }));
    const nested = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'ActionSet', actions: [{ type: 'Action.ShowCard', title: 'open', card: { type: 'AdaptiveCard', body: [], actions: seven } }] }] };
    expect(actionSetProblems(nested)).toHaveLength(1);
    expect(actionSetProblems({ type: 'AdaptiveCard', version: '1.5', body: [], actions: seven.slice(0, 6) })).toEqual([]);
  });
});
