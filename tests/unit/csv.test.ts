// The one CSV writer: every download (logboek, session attendees) makes a formula-looking field harmless.
import { auditCsv, SYSTEM_ACTORS, type AuditWords } from '../../src/core/audit';

const words: AuditWords = {
  sentences: { 'member.roleChanged': ({ who, subject }) => `${who} wijzigde de functie van ${subject}.` },
  actor: (kind) => `systeem ${kind}`,
  unknown: (_locale, action) => `code ${action}`,
};
import { csvDocument, csvField } from '../../src/core/csv';

it('makes a field that a spreadsheet would run as a formula plain text, also after a tab or carriage return', () => {
  for (const start of ['=', '+', '-', '@', '\t', '\r']) expect(csvField(`${start}1+1`)).toBe(`"'${start}1+1"`);
  expect(csvField('Gewoon "tekst"; met puntkomma')).toBe('"Gewoon ""tekst""; met puntkomma"');
});

it('writes the logboek with the same guard: a typed-in formula stays text', () => {
  const csv = auditCsv([
    { id: '1', at: '2026-12-01T10:00:00.000Z', actor: { tenantId: 't', aadObjectId: 'a', name: '\t=HYPERLINK("x")' }, capability: 'members', action: 'member.roleChanged', target: 't|a', before: { role: 'wethouder' }, after: { role: 'secretariaat' } },
  ], words);
  expect(csv.startsWith('\uFEFF"Datum en tijd";"Wie";"Wat er gebeurde"')).toBe(true);
  expect(csv).toContain(`"'\t=HYPERLINK(""x"")"`);
  expect(csv.endsWith('\r\n')).toBe(true);
  expect(csvDocument([['a', 'b']])).toBe('\uFEFF"a";"b"\r\n');
});

it('writes the logboek in Amsterdam time, with the sentence, and the demo data as the system', () => {
  const summer = { id: '2', at: '2026-07-01T22:30:00.000Z', actor: SYSTEM_ACTORS.demo, capability: 'agenda', action: 'agenda.fixed', target: 'BO-2026-07-09' };
  const winter = { id: '3', at: '2026-12-01T23:30:00.000Z', actor: { tenantId: 't', aadObjectId: 'a', name: 'Pia' }, capability: 'members', action: 'member.roleChanged', target: 't|b', subject: 'Bob' };
  const lines = auditCsv([summer, winter], words).split('\r\n');
  // 22:30 UTC in summer is 00:30 the next day in Amsterdam (CEST); 23:30 UTC in winter is 00:30 (CET).
  expect(lines[1]).toBe('"2026-07-02 00:30:00";"systeem demo";"code agenda.fixed";"agenda";"agenda.fixed";"BO-2026-07-09";"";""');
  expect(lines[2]!.startsWith('"2026-12-02 00:30:00";"Pia";"Pia wijzigde de functie van Bob.";"members"')).toBe(true);
});
