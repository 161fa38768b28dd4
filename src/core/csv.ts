// CSV for a spreadsheet, as Dutch Excel opens it: semicolons, quoted fields, CRLF and a byte-order mark. The one
// place that makes a field safe: a leading = + - @ (or tab, CR) would make a spreadsheet run it as a formula.

/** One CSV field, quoted; a value that a spreadsheet would read as a formula gets a leading apostrophe. */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** Rows of plain text as one CSV document. */
export function csvDocument(rows: ReadonlyArray<ReadonlyArray<string>>): string {
  return '\uFEFF' + rows.map((row) => row.map(csvField).join(';')).join('\r\n') + '\r\n';
}
