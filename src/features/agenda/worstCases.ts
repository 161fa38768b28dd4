// Every card the agenda capability sends, built from the largest data its model allows: a meeting of 30
// items with the longest texts (in markdown signs, which grow most when escaped), ten candidates, a full digest.
import type { AgendaCandidate, DigestSection, WorstCase } from '../../capability';
import type { Locale } from '../../i18n';
import { agendaCard, agendaItemCard, digestCard, itemForm, reportCard } from './cards';
import { LIMITS, STANDARD_ITEMS, type AgendaItem, type BoMeeting } from './model';

const widest = (length: number) => '*'.repeat(length);
const at = new Date(Date.UTC(2026, 11, 31, 13, 0)).toISOString();
/** The digest has a section per capability that contributes one, with at most 8 lines each. */
const DIGEST_SECTIONS = 6;
const DIGEST_LINES = 8;

function item(n: number): AgendaItem {
  return {
    id: `item${String(n).padStart(12, '0')}`,
    type: 'besluitvorming',
    title: widest(LIMITS.title),
    summary: widest(LIMITS.summary),
    submittedBy: widest(LIMITS.submittedBy),
    // Brackets grow most: a link's address escapes each as three characters.
    links: Array.from({ length: LIMITS.links }, (_, i) => `https://stukken.example.org/${String(i).padEnd(LIMITS.link - 28, '(')}`),
    source: { capability: 'dilemmas', ref: 'D-2026-999999' },
  };
}

function meeting(status: BoMeeting['status']): BoMeeting {
  const standard = STANDARD_ITEMS.map((s, i): AgendaItem => ({ id: `std${String(i).padStart(12, '0')}`, standard: s, type: 'informatie', title: '', summary: '', submittedBy: '', links: [] }));
  const own = Array.from({ length: LIMITS.items - standard.length }, (_, i) => item(i));
  return {
    id: 'BO-2026-12-31',
    startsAt: at,
    place: widest(LIMITS.place),
    status,
    items: [standard[0]!, standard[1]!, ...own, standard[2]!],
    addedAt: {},
    createdAt: at,
    updatedAt: at,
  };
}

const candidates: AgendaCandidate[] = Array.from({ length: 10 }, () => ({ source: 'dilemmas', ref: 'D-2026-999999', title: widest(120), summary: widest(1000) }));
const sections: DigestSection[] = Array.from({ length: DIGEST_SECTIONS }, () => ({
  title: widest(120),
  items: Array.from({ length: DIGEST_LINES + 2 }, () => ({ text: widest(4000), action: { title: widest(40), data: { verb: 'dilemmaOpen', id: 'D-2026-999999' } } })),
}));

export function agendaWorstCases(locale: Locale): WorstCase[] {
  const open = meeting('gepland');
  const own = open.items[2]!;
  const values = { type: 'besluitvorming', title: widest(300), summary: widest(1200), submittedBy: widest(200), links: widest(3000) };
  const problems = { title: 'tooLong', summary: 'tooLong', submittedBy: 'tooLong', links: 'badLink' } as const;
  return [
    { name: 'agenda, secretariaat (30 items, 10 candidates)', build: () => agendaCard(locale, { meeting: open, secretariaat: true, manage: true, candidates, notice: widest(200) }) },
    { name: 'agenda, member (30 items)', build: () => agendaCard(locale, { meeting: meeting('vastgesteld'), secretariaat: false, manage: false, candidates: [] }) },
    { name: 'agenda, no meeting yet (new meeting form)', build: () => agendaCard(locale, { meeting: undefined, secretariaat: true, manage: true, candidates: [] }) },
    { name: 'agenda item, secretariaat (edit form)', build: () => agendaItemCard(locale, { meeting: open, item: own, manage: true }) },
    { name: 'agenda item, member', build: () => agendaItemCard(locale, { meeting: open, item: own, manage: false }) },
    { name: 'agenda item form again, every problem shown', build: () => itemForm(locale, open.id, own, { values, problems }) },
    { name: `digest (30 items, ${DIGEST_SECTIONS} sections)`, build: () => digestCard(locale, { since: new Date(at), meeting: open, sections, subscribed: true }) },
    {
      name: 'digest report (30 unreachable people)',
      build: () =>
        reportCard(locale, new Date(at), { total: 9999, sent: 9999, failed: 9999, unreachable: 9999, pending: 9999, skipped: 9999, read: 9999, maybeDouble: 9999, unreachablePeople: [] }, Array.from({ length: 60 }, () => widest(200))),
    },
  ];
}
