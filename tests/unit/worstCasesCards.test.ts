// The worst cases the dilemmas, agenda and sessions capabilities declare: each message, built from the largest
// data its model allows, fits Teams' budget (UTF-16, as Teams counts) and shows at most 6 actions per set.
import { MAX_PRIMARY_ACTIONS, MESSAGE_BUDGET_BYTES, utf16Bytes } from '../../src/cards/budget';
import type { Capability } from '../../src/capability';
import { CAPABILITIES } from '../../src/capabilities';
import { cardActivity } from '../../src/turn';
import { cardProblems } from '../helpers/cards';

const mine = ['dilemmas', 'agenda', 'sessions'];
const capabilities = (CAPABILITIES as readonly Capability[]).filter((c) => mine.includes(c.name));

/** The size of every action set in a card, nested show cards included. */
function actionSetSizes(node: unknown, out: number[] = []): number[] {
  if (Array.isArray(node)) node.forEach((n) => actionSetSizes(n, out));
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (Array.isArray(o.actions)) out.push(o.actions.length);
    Object.values(o).forEach((v) => actionSetSizes(v, out));
  }
  return out;
}

it('finds the three capabilities, each declaring its worst cases', () => {
  expect(capabilities.map((c) => c.name).sort()).toEqual([...mine].sort());
});

describe.each(capabilities.map((c) => [c.name, c] as const))('%s', (_name, capability) => {
  it.each(['nl', 'en'] as const)('keeps every declared message within the budget and the action limit (%s)', async (locale) => {
    const cases = capability.worstCases?.(locale) ?? [];
    expect(cases.length).toBeGreaterThan(0);
    for (const worst of cases) {
      const message = await worst.build();
      const activity = typeof message === 'string' ? { type: 'message', text: message } : cardActivity(message);
      const bytes = utf16Bytes(activity);
      expect({ name: worst.name, bytes, fits: bytes <= MESSAGE_BUDGET_BYTES }).toEqual({ name: worst.name, bytes, fits: true });
      if (typeof message !== 'string') {
        expect({ name: worst.name, problems: cardProblems(message) }).toEqual({ name: worst.name, problems: [] });
        for (const size of actionSetSizes(message)) expect({ name: worst.name, size: size <= MAX_PRIMARY_ACTIONS }).toEqual({ name: worst.name, size: true });
      }
    }
  });
});
