// Decisions and agreements without storage: their largest cards fit Teams, the actielijst text fits an agenda
// item, due-date arithmetic, and the besluitenlijst document with and without names.
import JSZip from 'jszip';
import { decisions } from '../../src/features/decisions';
import { besluitenlijst } from '../../src/features/decisions/document';
import { actielijstSummary, isOverdue } from '../../src/features/decisions/service';
import { addDays } from '../../src/time';
import type { Decision } from '../../src/features/decisions/model';
import type { BoMeeting } from '../../src/features/agenda';
import { MAX_PRIMARY_ACTIONS, MESSAGE_BUDGET_BYTES, utf16Bytes } from '../../src/cards/budget';
import { cardActivity } from '../../src/turn';
import type { AdaptiveCard } from '../../src/cards/adaptive';
import { cardProblems } from '../helpers/cards';

const startsAt = '2026-03-02T13:00:00.000Z';
const meeting: BoMeeting = {
  id: 'BO-2026-03-02',
  startsAt,
  place: 'Regiokantoor',
  status: 'afgerond',
  items: [
    { id: 'opening01', standard: 'opening', type: 'informatie', title: '', summary: '', submittedBy: '', links: [] },
    { id: 'koop00001', type: 'besluitvorming', title: 'Betaalbare koop', summary: '', submittedBy: '', links: [] },
  ],
  addedAt: {},
  createdAt: startsAt,
  updatedAt: startsAt,
};

function agreement(over: Partial<Decision> = {}): Decision {
  return {
    id: 'A-0000000001',
    meetingId: meeting.id,
    meetingAt: startsAt,
    itemId: 'koop00001',
    itemTitle: 'Betaalbare koop',
    kind: 'afspraak',
    text: 'Grens voor betaalbare koop voorstellen',
    ownerTenantId: 't',
    ownerAadObjectId: 'o',
    ownerName: 'Anna Voorbeeld',
    ownerOrganisationId: 'huizen',
    dueDate: '2026-04-01',
    status: 'open',
    doneAt: '',
    doneNote: '',
    dilemmaId: '',
    createdAt: startsAt,
    updatedAt: startsAt,
    ...over,
  };
}

function actionSets(node: unknown, out: unknown[][] = []): unknown[][] {
  if (Array.isArray(node)) node.forEach((n) => actionSets(n, out));
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (Array.isArray(o.actions)) out.push(o.actions);
    Object.values(o).forEach((v) => actionSets(v, out));
  }
  return out;
}

describe.each(['nl', 'en'] as const)('worst-case messages (%s)', (locale) => {
  const cases = decisions.worstCases!(locale);
  it.each(cases.map((c) => [c.name, c] as const))('%s fits in 80 KB, is a valid 1.5 card and has at most 6 actions per set', async (_name, c) => {
    const built = (await c.build()) as AdaptiveCard;
    expect(utf16Bytes(cardActivity(built))).toBeLessThanOrEqual(MESSAGE_BUDGET_BYTES);
    expect(cardProblems(built)).toEqual([]);
    for (const set of actionSets(built)) expect(set.length).toBeLessThanOrEqual(MAX_PRIMARY_ACTIONS);
  });
});

it('counts calendar days across month ends and calls only open agreements past their date overdue', () => {
  expect(addDays('2026-02-27', 3)).toBe('2026-03-02');
  expect(isOverdue(agreement({ dueDate: '2026-03-01' }), '2026-03-02')).toBe(true);
  expect(isOverdue(agreement({ dueDate: '2026-03-02' }), '2026-03-02')).toBe(false);
  expect(isOverdue(agreement({ dueDate: '2026-03-01', status: 'gedaan' }), '2026-03-02')).toBe(false);
});

it('keeps the actielijst summary within an agenda item (1000 characters), however many agreements are open', () => {
  const open = Array.from({ length: 60 }, (_, i) => agreement({ id: `A-${String(i).padStart(10, '0')}`, text: 'x'.repeat(1000) }));
  const text = actielijstSummary([agreement({ status: 'gedaan' })], open, '2026-05-01', () => 'Gemeente Huizen');
  expect(text.length).toBeLessThanOrEqual(1000);
  expect(text).toContain('Gedaan sinds de vorige BO: 1. Nog open: 60, waarvan 60 over tijd.');
});

async function documentText(withNames: boolean): Promise<string> {
  const buffer = await besluitenlijst({ meeting, decisions: [agreement()], organisationName: () => 'Gemeente Huizen', withNames, locale: 'nl' });
  const zip = await JSZip.loadAsync(buffer);
  return (await zip.file('word/document.xml')!.async('string')).replace(/<[^>]+>/g, '');
}

it('writes the besluitenlijst as a Word document with each agreement, its owner and date', async () => {
  const text = await documentText(true);
  expect(text).toContain('Betaalbare koop');
  expect(text).toContain('Grens voor betaalbare koop voorstellen');
  expect(text).toContain('Anna Voorbeeld (Gemeente Huizen)');
});

it('leaves personal names out of the besluitenlijst when asked, keeping the organisation', async () => {
  const text = await documentText(false);
  expect(text).not.toContain('Anna Voorbeeld');
  expect(text).toContain('Eigenaar: Gemeente Huizen.');
  expect(text).toContain('Namen van personen zijn weggelaten.');
});
