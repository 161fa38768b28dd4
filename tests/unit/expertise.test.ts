// Dutch matching for "wie weet wat" and the similar-dilemmas check: stems, concepts, typos, and the measured quality.
import data from '../data/similarity-eval.json';
import conceptFile from '../../src/features/expertise/concepts.json';
import { TopicIndex } from '../../src/features/expertise/matching';
import { SIMILAR_THRESHOLD } from '../../src/features/expertise/service';
import { Concepts, conceptFileSchema, stems, withinEdits } from '../../src/features/expertise/text';
import { chatLink, reasonLines } from '../../src/features/expertise/cards';
import { messages } from '../../src/features/expertise/messages';

const concepts = Concepts.of(conceptFileSchema.parse(conceptFile));

function indexOf(list: Array<{ id: string; title: string; description: string; theme: string }>, withConcepts = concepts) {
  const index = new TopicIndex(withConcepts);
  for (const d of list) index.put(d.id, d);
  return index;
}

/** The share of paraphrases whose original is in the top 3 above the threshold, and of unrelated ones that find anything. */
function measure(index: TopicIndex) {
  const found = data.paraphrases.filter((p) => index.search(index.analyse(p), () => true, 3, SIMILAR_THRESHOLD).some((h) => h.id === p.of)).length;
  const wrong = data.unrelated.filter((u) => index.search(index.analyse(u), () => true, 3, SIMILAR_THRESHOLD).length > 0).length;
  return { found: found / data.paraphrases.length, wrong: wrong / data.unrelated.length };
}

describe('Dutch text', () => {
  it('folds case and accents, drops stop words and meets plural and singular', () => {
    expect(stems('De GRONDPRIJZEN zijn te hoog')).toEqual(stems('grondprijs hoog'));
    expect(stems('participátie')).toEqual(stems('Participatie'));
  });

  it('knows terms that mean the same thing in this field, also as a phrase', () => {
    expect(concepts.find(stems('De kavelprijs is te hoog'))).toContain('grondprijs');
    expect(concepts.find(stems('We hebben geen stroomaansluiting'))).toContain('netcongestie');
    expect(concepts.find(stems('de stroom is op'))).not.toContain('netcongestie');
  });

  it('lets the secretariaat add terms in a file of its own', () => {
    const extended = Concepts.of(conceptFileSchema.parse(conceptFile), { concepts: [{ id: 'grondprijs', terms: ['erfpachtcanon'] }] });
    expect(extended.find(stems('erfpachtcanon'))).toContain('grondprijs');
    expect(concepts.find(stems('erfpachtcanon'))).not.toContain('grondprijs');
  });

  it('counts one or two slips of the keyboard as the same word, but not more', () => {
    expect(withinEdits('projectleider', 'projectlieder', 2)).toBe(true);
    expect(withinEdits('grondpijs', 'grondprijs', 1)).toBe(true);
    expect(withinEdits('stikstof', 'parkeren', 2)).toBe(false);
  });
});

describe('similar dilemmas', () => {
  it('finds the original in the top 3 for at least 80% of paraphrases, and something for at most 10% of unrelated ones', () => {
    const { found, wrong } = measure(indexOf(data.corpus));
    expect(found).toBeGreaterThanOrEqual(0.8);
    expect(wrong).toBeLessThanOrEqual(0.1);
  });

  it('needs the concept list for other wording: without it fewer paraphrases are found', () => {
    const withList = measure(indexOf(data.corpus));
    const without = measure(indexOf(data.corpus, new Concepts([])));
    expect(without.found).toBeLessThan(withList.found);
  });

  it('finds a dilemma through a typo and through a synonym', () => {
    const index = indexOf(data.corpus);
    expect(index.search(index.analyse({ title: 'stikstofdepositei' }), () => true, 3)[0]?.id).toBe('D-2026-004');
    expect(index.search(index.analyse({ title: 'kavelprijs' }), () => true, 3).map((h) => h.id)).toContain('D-2026-001');
  });

  it('never returns what accept leaves out, and forgets a removed dilemma', () => {
    const index = indexOf(data.corpus);
    const query = index.analyse({ title: 'grondprijs sociale huur' });
    expect(index.search(query, (id) => id !== 'D-2026-001', 3).map((h) => h.id)).not.toContain('D-2026-001');
    index.remove('D-2026-001');
    expect(index.search(query, () => true, 20).map((h) => h.id)).not.toContain('D-2026-001');
  });
});

describe('cards', () => {
  it('links a chat by sign-in name, and says why someone is suggested in plain words', () => {
    expect(chatLink('an.de.vries@gemeente.example')).toBe('https://teams.microsoft.com/l/chat/0/0?users=an.de.vries%40gemeente.example');
    const lines = reasonLines('nl', {
      tenantId: 't', aadObjectId: 'a', name: 'An', organisation: 'Huizen', role: 'wethouder', upn: '', score: 1,
      reasons: { responded: 3, talk: 1, logged: 0, recognised: 1, stated: ['#participatie', 'erfpacht'] },
    }, 'grondprijs');
    expect(lines).toEqual([
      "Reageerde op 3 dilemma's over grondprijs",
      'Wil graag doorpraten over grondprijs',
      'Herkent 1 dilemma over grondprijs',
      'Noemt zelf: Participatie en lokale autonomie, erfpacht',
    ]);
  });

  it('has the same sentences in Dutch and English', () => {
    expect(Object.keys(messages.en).sort()).toEqual(Object.keys(messages.nl).sort());
  });
});

describe('worst cases', () => {
  it('keeps every expertise message within Teams\' size and action limits at the largest data the model allows', async () => {
    const { expertise } = await import('../../src/features/expertise');
    const { cardActivity } = await import('../../src/turn');
    const { utf16Bytes, MESSAGE_BUDGET_BYTES, MAX_PRIMARY_ACTIONS } = await import('../../src/cards/budget');
    for (const locale of ['nl', 'en'] as const) {
      for (const worst of expertise.worstCases!(locale)) {
        const built = await worst.build();
        const size = utf16Bytes(typeof built === 'string' ? { type: 'message', text: built } : cardActivity(built));
        expect({ name: worst.name, fits: size <= MESSAGE_BUDGET_BYTES }).toEqual({ name: worst.name, fits: true });
        const sets: unknown[][] = [];
        const walk = (node: unknown): void => {
          if (Array.isArray(node)) return node.forEach(walk);
          if (node && typeof node === 'object') {
            const o = node as Record<string, unknown>;
            if (Array.isArray(o.actions)) sets.push(o.actions);
            Object.values(o).forEach(walk);
          }
        };
        walk(built);
        for (const set of sets) expect(set.length).toBeLessThanOrEqual(MAX_PRIMARY_ACTIONS);
      }
    }
  });
});
