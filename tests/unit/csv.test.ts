// The one CSV writer: every download (logboek, session attendees) makes a formula-looking field harmless.
import { auditCsv } from '../../src/core/audit';
import { csvDocument, csvField } from '../../src/core/csv';

it('makes a field that a spreadsheet would run as a formula plain text, also after a tab or carriage return', () => {
  for (const start of ['=', '+', '-', '@', '\t', '\r']) expect(csvField(`${start}1+1`)).toBe(`"'${start}1+1"`);
  expect(csvField('Gewoon "tekst"; met puntkomma')).toBe('"Gewoon ""tekst""; met puntkomma"');
});

it('writes the logboek with the same guard: a typed-in formula stays text', () => {
  const csv = auditCsv([
    { id: '1', at: '2026-12-01T10:00:00.000Z', actor: { tenantId: 't', aadObjectId: 'a', name: '\t=HYPERLINK("x")' }, capability: 'members', action: 'member.roleChanged', target: 't|a', before: { role: 'wethouder' }, after: { role: 'secretariaat' } },
  ]);
  expect(csv.startsWith('\uFEFF"tijd";"wie"')).toBe(true);
  expect(csv).toContain(`"'\t=HYPERLINK(""x"")"`);
  expect(csv.endsWith('\r\n')).toBe(true);
  expect(csvDocument([['a', 'b']])).toBe('\uFEFF"a";"b"\r\n');
});
