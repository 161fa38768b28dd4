// A screen reader reads a button by its title and tooltip. Where a card repeats a fixed button word per row
// (Aanmelden under each session, Gedaan under each agreement, Goedkeuren under each request), each of those
// buttons needs a name that says its row, or ten "Aanmelden" buttons cannot be told apart. Walks every card
// each capability declares (its worst cases), in both languages.
import { CAPABILITIES } from '../../src/capabilities';
import { catalogs, type Locale } from '../../src/i18n';

type Action = { type: string; title?: string; tooltip?: string };

/**
 * The buttons a person sees together, one list per view: the card, and each Action.ShowCard's card (it opens
 * one at a time, below its button). Not a button's fallback, not the card's automatic refresh.
 */
function views(node: unknown): Action[][] {
  const all: Action[][] = [];
  const walk = (n: unknown, found: Action[]): void => {
    if (Array.isArray(n)) return n.forEach((x) => walk(x, found));
    if (!n || typeof n !== 'object') return;
    const o = n as Record<string, unknown>;
    if (typeof o.type === 'string' && o.type.startsWith('Action.') && typeof o.title === 'string') found.push(o as Action);
    for (const [key, value] of Object.entries(o)) {
      if (key === 'fallback' || key === 'refresh') continue;
      if (key === 'card' && o.type === 'Action.ShowCard') {
        const inner: Action[] = [];
        all.push(inner);
        walk(value, inner);
      } else walk(value, found);
    }
  };
  const top: Action[] = [];
  all.push(top);
  walk(node, top);
  return all;
}

const actions = (node: unknown): Action[] => views(node).flat();

/** Button words that say nothing of their row: every message without a placeholder. */
function fixedWords(locale: Locale): Set<string> {
  const all = [...Object.values(catalogs[locale]), ...CAPABILITIES.flatMap((c) => Object.values(c.messages[locale]))].map(String);
  return new Set(all.filter((text) => !text.includes('{')));
}

it.each<Locale>(['nl', 'en'])('names each repeated button after its row (%s)', async (locale) => {
  const fixed = fixedWords(locale);
  const unnamed: string[] = [];
  let repeatedSeen = 0;
  for (const capability of CAPABILITIES) {
    for (const worst of capability.worstCases?.(locale) ?? []) {
      for (const found of views(await worst.build())) {
        const count = new Map<string, number>();
        for (const a of found) count.set(a.title!, (count.get(a.title!) ?? 0) + 1);
        for (const a of found) {
          if (!fixed.has(a.title!) || count.get(a.title!)! < 2) continue;
          repeatedSeen++;
          // "Aanmelden: Samenwerken in de wijk", or the agenda's "Punt 4 omhoog".
          const named = typeof a.tooltip === 'string' && a.tooltip.trim() !== '' && a.tooltip !== a.title;
          if (!named) unnamed.push(`${capability.name}: ${worst.name}: "${a.title}"`);
        }
      }
    }
  }
  // Sessions, agreements, requests, plans and agenda rows all repeat their buttons at their largest.
  expect(repeatedSeen).toBeGreaterThan(50);
  expect([...new Set(unnamed)]).toEqual([]);
});

it('names a session\'s buttons after that session', async () => {
  const sessions = CAPABILITIES.find((c) => c.name === 'sessions')!;
  const list = sessions.worstCases!('nl').find((w) => w.name.startsWith('sessies, secretariaat'))!;
  const signUps = actions(await list.build()).filter((a) => a.title === 'Bewerken');
  expect(signUps.length).toBeGreaterThan(1);
  for (const a of signUps) expect(a.tooltip).toMatch(/^Bewerken: \S/);
});
