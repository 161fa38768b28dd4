// From rows of cells to plan values: which column is which (Dutch headings, loosely matched), and every row
// checked with the same rules as the edit card. A row is either fully valid or rejected with its reasons.
import {
  checkOrder,
  completeHomes,
  loose,
  parseCount,
  parseDate,
  parseMunicipality,
  parsePhase,
  parseQuarter,
  parseRating,
  type Municipality,
  type Problem,
} from './fields';
import { LIMITS, planId, REFERENCE, type Homes } from './model';
import type { Cell, SheetRow } from './spreadsheet';

type BaseColumn =
  | 'name'
  | 'municipality'
  | 'location'
  | 'initiators'
  | 'total'
  | 'socialRent'
  | 'midRent'
  | 'affordablePurchase'
  | 'other'
  | 'phase'
  | 'startConstruction'
  | 'delivery'
  | 'onList'
  | 'discussedOn'
  | 'advice';
type Column = BaseColumn | `goal:${string}` | `goalNote:${string}`;

/** Headings people use for each column (compared loosely: case, accents, hyphens and dots do not matter). */
const HEADINGS: Record<BaseColumn, string[]> = {
  name: ['naam', 'plan', 'plannaam', 'projectnaam', 'project', 'name'],
  municipality: ['gemeente', 'municipality'],
  location: ['locatie', 'wijk', 'kern', 'locatie / wijk', 'locatie of wijk', 'location'],
  initiators: ['initiatiefnemers', 'initiatiefnemer', 'ontwikkelaar', 'ontwikkelaars', 'corporatie', 'initiators'],
  total: ['totaal', 'woningen', 'aantal woningen', 'totaal woningen', 'total'],
  socialRent: ['sociale huur', 'sociaal', 'social rent'],
  midRent: ['middenhuur', 'middeldure huur', 'mid rent'],
  affordablePurchase: ['betaalbare koop', 'affordable purchase'],
  other: ['overig', 'overige', 'vrije sector', 'other'],
  phase: ['fase', 'status', 'phase'],
  startConstruction: ['start bouw', 'bouwstart', 'start', 'start construction'],
  delivery: ['oplevering', 'gereed', 'delivery'],
  onList: ['50+ lijst', '50 plus lijst', 'op 50+ lijst', 'regionale lijst', '50+'],
  discussedOn: ['besproken op', 'regionaal besproken', 'datum bespreking', 'bespreking'],
  advice: ['advies', 'regionaal advies', 'advice'],
};
const REQUIRED_COLUMNS: readonly BaseColumn[] = ['name', 'municipality', 'total', 'phase'];

function columnOf(heading: string): Column | undefined {
  const h = loose(heading);
  if (!h) return undefined;
  for (const [column, names] of Object.entries(HEADINGS) as [BaseColumn, string[]][]) {
    if (names.some((n) => loose(n) === h)) return column;
  }
  for (const goal of REFERENCE.goals) {
    const names = [goal.id, goal.nl, goal.en, ...goal.aliases].map(loose);
    if (names.includes(h)) return `goal:${goal.id}`;
    const note = /^(.*) (toelichting|notitie|opmerking|note)$/.exec(h);
    if (note && names.includes(note[1]!)) return `goalNote:${goal.id}`;
  }
  return undefined;
}

type Mapping = { ok: true; columns: Array<Column | undefined>; unknown: string[] } | { ok: false; problem: Problem };

export function mapHeader(header: string[]): Mapping {
  const columns = header.map(columnOf);
  const seen = new Set<Column>();
  for (let i = 0; i < columns.length; i++) {
    const c = columns[i];
    if (!c) continue;
    if (seen.has(c)) return { ok: false, problem: { key: 'plan.import.doubleColumn', vars: { column: header[i]! } } };
    seen.add(c);
  }
  const missing = REQUIRED_COLUMNS.filter((c) => !seen.has(c));
  if (missing.length) {
    return { ok: false, problem: { key: 'plan.import.missingColumns', vars: { columns: missing.map((c) => HEADINGS[c][0]).join(', ') } } };
  }
  const unknown = header.filter((h, i) => h && !columns[i]);
  return { ok: true, columns, unknown };
}

/** The values of one valid row. Columns the file does not have stay undefined: the plan keeps what it had. */
export interface ImportValues {
  id: string;
  name: string;
  municipality: string;
  homes: Homes;
  phase: string;
  location?: string;
  initiators?: string[];
  startConstruction?: string;
  delivery?: string;
  onList?: boolean;
  discussedOn?: string;
  advice?: string;
  goals?: Record<string, { rating?: string; note?: string }>;
}

type RowResult = { number: number; ok: true; values: ImportValues } | { number: number; ok: false; problems: Problem[] };

const YES = ['ja', 'j', 'x', '1', 'true', 'yes', 'waar'];
const NO = ['nee', 'n', '0', 'false', 'no', 'onwaar', ''];

export function checkRows(rows: SheetRow[], columns: Array<Column | undefined>, municipalities: readonly Municipality[], today: Date): RowResult[] {
  const firstRowOf = new Map<string, number>();
  return rows.map((row) => {
    const result = checkRow(row, columns, municipalities, today);
    if (!result.ok) return result;
    const earlier = firstRowOf.get(result.values.id);
    if (earlier !== undefined) return { number: row.number, ok: false, problems: [{ key: 'plan.problem.duplicateRow', vars: { row: earlier } }] };
    firstRowOf.set(result.values.id, row.number);
    return result;
  });
}

function checkRow(row: SheetRow, columns: Array<Column | undefined>, municipalities: readonly Municipality[], today: Date): RowResult {
  const problems: Problem[] = [];
  const cells = new Map<Column, Cell>();
  columns.forEach((c, i) => c && cells.set(c, row.cells[i] ?? ''));
  // A formula is never evaluated: its stored result may be stale, and it is not what the row says.
  for (const [column, cell] of cells) {
    if (typeof cell === 'object' && !(cell instanceof Date)) problems.push({ key: 'plan.problem.formula', vars: { field: headingOf(column) } });
  }
  if (problems.length) return { number: row.number, ok: false, problems };
  const text = (c: Column) => {
    const cell = cells.get(c);
    return cell instanceof Date ? cell.toISOString().slice(0, 10) : typeof cell === 'string' ? cell.trim() : '';
  };
  const has = (c: Column) => cells.has(c);
  const take = <T>(parsed: { ok: true; value: T } | { ok: false; problem: Problem }): T | undefined => {
    if (parsed.ok) return parsed.value;
    problems.push(parsed.problem);
    return undefined;
  };
  const limited = (c: Column, max: number) => {
    const value = text(c).replace(/\s+/g, ' ');
    if (value.length > max) problems.push({ key: 'plan.problem.tooLong', vars: { field: headingOf(c), max } });
    return value.slice(0, max);
  };

  const name = limited('name', LIMITS.name);
  if (!name) problems.push({ key: 'plan.problem.required', vars: { field: 'naam' } });
  const municipality = take(parseMunicipality(text('municipality'), municipalities));
  const phase = take(parsePhase(text('phase')));
  const count = (c: Column, required = false) => (has(c) ? take(parseCount(text(c), headingOf(c), { required })) : undefined);
  const total = count('total', true);
  const parts = { socialRent: count('socialRent'), midRent: count('midRent'), affordablePurchase: count('affordablePurchase'), other: count('other') };
  let homes: Homes | undefined;
  if (total !== undefined && !problems.some((p) => p.key === 'plan.problem.notACount' || p.key === 'plan.problem.negative' || p.key === 'plan.problem.absurd')) {
    homes = take(
      completeHomes(
        {
          total,
          ...(parts.socialRent !== undefined ? { socialRent: parts.socialRent } : {}),
          ...(parts.midRent !== undefined ? { midRent: parts.midRent } : {}),
          ...(parts.affordablePurchase !== undefined ? { affordablePurchase: parts.affordablePurchase } : {}),
          ...(parts.other !== undefined ? { other: parts.other } : {}),
        },
        parts.other !== undefined,
      ),
    );
  }
  const values: Partial<ImportValues> = {};
  if (has('location')) values.location = limited('location', LIMITS.location);
  if (has('initiators')) {
    const list = text('initiators').split(/\s*[,;/|]\s*/).map((s) => s.trim()).filter(Boolean);
    if (list.length > LIMITS.initiators || list.some((s) => s.length > LIMITS.initiator)) {
      problems.push({ key: 'plan.problem.tooLong', vars: { field: headingOf('initiators'), max: LIMITS.initiators * LIMITS.initiator } });
    }
    values.initiators = list.slice(0, LIMITS.initiators).map((s) => s.slice(0, LIMITS.initiator));
  }
  if (has('startConstruction')) values.startConstruction = take(parseQuarter(text('startConstruction'), headingOf('startConstruction'))) ?? '';
  if (has('delivery')) values.delivery = take(parseQuarter(text('delivery'), headingOf('delivery'))) ?? '';
  const order = checkOrder(values.startConstruction ?? '', values.delivery ?? '');
  if (order) problems.push(order);
  if (has('onList')) {
    const v = loose(text('onList'));
    if (YES.includes(v)) values.onList = true;
    else if (NO.includes(v)) values.onList = v === '' ? (total ?? 0) >= 50 : false;
    else problems.push({ key: 'plan.problem.yesNo', vars: { field: headingOf('onList'), value: text('onList').slice(0, 40) } });
  }
  if (has('discussedOn')) {
    const cell = cells.get('discussedOn');
    values.discussedOn = take(parseDate(cell instanceof Date ? cell : text('discussedOn'), headingOf('discussedOn'), today)) ?? '';
  }
  if (has('advice')) values.advice = limited('advice', LIMITS.advice);
  for (const goal of REFERENCE.goals) {
    const ratingColumn: Column = `goal:${goal.id}`;
    const noteColumn: Column = `goalNote:${goal.id}`;
    if (!has(ratingColumn) && !has(noteColumn)) continue;
    const entry: { rating?: string; note?: string } = {};
    if (has(ratingColumn)) entry.rating = take(parseRating(text(ratingColumn), goal.nl)) ?? '';
    if (has(noteColumn)) entry.note = limited(noteColumn, LIMITS.goalNote);
    (values.goals ??= {})[goal.id] = entry;
  }

  if (problems.length || !municipality || !phase || !homes || !name) return { number: row.number, ok: false, problems };
  return { number: row.number, ok: true, values: { ...values, id: planId(municipality, name), name, municipality, phase, homes } };
}

/** The Dutch heading of a column, to name it in a problem. */
function headingOf(column: Column): string {
  if (column.startsWith('goal:')) return REFERENCE.goals.find((g) => `goal:${g.id}` === column)?.nl ?? column;
  if (column.startsWith('goalNote:')) return `${REFERENCE.goals.find((g) => `goalNote:${g.id}` === column)?.nl ?? column} toelichting`;
  return HEADINGS[column as BaseColumn][0]!;
}
