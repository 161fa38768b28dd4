// Reads an uploaded plan list into rows of cells: CSV (comma or semicolon, as Dutch Excel writes it; UTF-8,
// UTF-16 or Windows-1252) or XLSX. Knows nothing of plans; refuses what it cannot read safely, in one sentence.
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { LIMITS } from './model';
import type { Problem } from './fields';

/** One cell as read: text, a date (XLSX), or a formula we will not evaluate. */
export type Cell = string | Date | { formula: string };

export interface SheetRow {
  /** The row number as the spreadsheet shows it (the header is row 1 when it is the first line). */
  number: number;
  cells: Cell[];
}

type Sheet = { ok: true; header: string[]; rows: SheetRow[] } | { ok: false; problem: Problem };

const refuse = (key: Problem['key'], vars?: Problem['vars']): Sheet => ({ ok: false, problem: { key, ...(vars ? { vars } : {}) } });

export async function readSheet(bytes: Buffer): Promise<Sheet> {
  if (bytes.length === 0) return refuse('plan.import.empty');
  if (bytes.length > LIMITS.fileBytes) return refuse('plan.import.tooBig', { max: Math.round(LIMITS.fileBytes / 1024 / 1024) });
  if (bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return readXlsx(bytes);
  // The old binary Excel format (.xls) and other Office files start like this.
  if (bytes.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))) return refuse('plan.import.oldExcel');
  const text = decode(bytes);
  if (text === undefined) return refuse('plan.import.notText');
  return readCsv(text);
}

/** UTF-8 (with or without BOM), UTF-16 with a BOM (Excel's "Unicode text"), else Windows-1252. */
function decode(bytes: Buffer): string | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  // A NUL byte means a binary file (an image, a PDF): not a list of plans.
  if (body.includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    // Not valid UTF-8: Dutch Excel saves "CSV (gescheiden door lijstscheidingsteken)" in Windows-1252.
    return new TextDecoder('windows-1252').decode(body);
  }
}

/** The separator the header line uses most: semicolon (Dutch Excel), comma or tab. */
function separatorOf(text: string): string {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const count = (ch: string) => firstLine.split(ch).length - 1;
  return [';', ',', '\t'].reduce((best, ch) => (count(ch) > count(best) ? ch : best), ';');
}

function readCsv(text: string): Sheet {
  let records: string[][];
  try {
    records = parse(text, {
      delimiter: separatorOf(text),
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      to: LIMITS.rows + 50,
    }) as string[][];
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    return refuse('plan.import.badCsv', { line: line ?? '?' });
  }
  const rows = records.map((cells, i) => ({
    number: i + 1,
    // Excel writes a formula's result into a CSV, but a cell typed as "=…" may still arrive; never evaluate it.
    cells: cells.map((c): Cell => (/^\s*=/.test(c) ? { formula: c.trim() } : c)),
  }));
  return withHeader(rows);
}

async function readXlsx(bytes: Buffer): Promise<Sheet> {
  const unpacked = unpackedSize(bytes);
  if (unpacked === undefined) return refuse('plan.import.badXlsx');
  if (unpacked > LIMITS.unpackedBytes) return refuse('plan.import.tooBig', { max: Math.round(LIMITS.fileBytes / 1024 / 1024) });
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    return refuse('plan.import.badXlsx');
  }
  const sheet = workbook.worksheets.find((ws) => ws.actualRowCount > 0);
  if (!sheet) return refuse('plan.import.empty');
  const rows: SheetRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, number) => {
    if (rows.length > LIMITS.rows + 50) return;
    const cells: Cell[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = cellValue(cell);
    });
    for (let i = 0; i < cells.length; i++) cells[i] ??= '';
    rows.push({ number, cells });
  });
  return withHeader(rows);
}

function cellValue(cell: ExcelJS.Cell): Cell {
  const v = cell.value;
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'ja' : 'nee';
  if (typeof v === 'string') return v;
  if (typeof v === 'object') {
    const o = v as unknown as Record<string, unknown>;
    if ('formula' in o || 'sharedFormula' in o) return { formula: `=${String(o.formula ?? o.sharedFormula ?? '')}` };
    if ('error' in o) return { formula: String(o.error) };
    if (Array.isArray(o.richText)) return (o.richText as Array<{ text: string }>).map((r) => r.text).join('');
    if (typeof o.text === 'string') return o.text;
  }
  return String(v);
}

function withHeader(rows: SheetRow[]): Sheet {
  const nonEmpty = rows.filter((r) => r.cells.some((c) => !(typeof c === 'string' && !c.trim())));
  const [head, ...data] = nonEmpty;
  if (!head) return refuse('plan.import.empty');
  if (data.length > LIMITS.rows) return refuse('plan.import.tooManyRows', { max: LIMITS.rows });
  const header = head.cells.map((c) => (typeof c === 'string' ? c : c instanceof Date ? '' : c.formula).trim());
  return { ok: true, header, rows: data };
}

/**
 * The total unpacked size of a zip, from its central directory (without unpacking anything), so a small
 * file that unpacks to gigabytes is refused before the XLSX reader sees it. Undefined when it is no zip.
 */
export function unpackedSize(zip: Buffer): number | undefined {
  const min = Math.max(0, zip.length - 65_557);
  let eocd = -1;
  for (let i = zip.length - 22; i >= min; i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return undefined;
  const entries = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  let total = 0;
  for (let i = 0; i < entries; i++) {
    if (offset + 46 > zip.length || zip.readUInt32LE(offset) !== 0x02014b50) return undefined;
    const size = zip.readUInt32LE(offset + 24);
    // 0xFFFFFFFF means a ZIP64 size: far above any limit we accept.
    if (size === 0xffffffff) return Number.MAX_SAFE_INTEGER;
    total += size;
    offset += 46 + zip.readUInt16LE(offset + 28) + zip.readUInt16LE(offset + 30) + zip.readUInt16LE(offset + 32);
  }
  return total;
}
