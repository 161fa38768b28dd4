// Date and time pickers say their format in the person's language: without it, clients show their own English
// "Select a date…" and AM/PM on a Dutch card. Walks every card each capability declares (its worst cases).
import { CAPABILITIES } from '../../src/capabilities';
import type { Locale } from '../../src/i18n';

function pickers(node: unknown, found: Array<Record<string, unknown>> = []): Array<Record<string, unknown>> {
  if (Array.isArray(node)) node.forEach((n) => pickers(n, found));
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (o.type === 'Input.Date' || o.type === 'Input.Time') found.push(o);
    Object.values(o).forEach((v) => pickers(v, found));
  }
  return found;
}

const expected: Record<Locale, { date: RegExp; time: RegExp; datePlaceholder: string; timePlaceholder: string }> = {
  nl: { date: / \(dd-mm-jjjj\)$/, time: / \(uu:mm, 24 uur\)$/, datePlaceholder: 'dd-mm-jjjj', timePlaceholder: 'uu:mm' },
  en: { date: / \(dd-mm-yyyy\)$/, time: / \(hh:mm, 24-hour\)$/, datePlaceholder: 'dd-mm-yyyy', timePlaceholder: 'hh:mm' },
};

it.each<Locale>(['nl', 'en'])('every date and time picker of every capability has a placeholder and a label with the format (%s)', async (locale) => {
  const found: Array<{ where: string; input: Record<string, unknown> }> = [];
  for (const capability of CAPABILITIES) {
    for (const worst of capability.worstCases?.(locale) ?? []) {
      for (const input of pickers(await worst.build())) found.push({ where: `${capability.name}: ${worst.name}`, input });
    }
  }
  // Sessions (date, times, deadline), the agenda's new meeting, and decisions all ask for dates.
  const where = new Set(found.map((f) => f.where.split(':')[0]));
  expect([...where].sort()).toEqual(expect.arrayContaining(['agenda', 'decisions', 'sessions']));
  expect(found.some((f) => f.input.type === 'Input.Time')).toBe(true);
  const e = expected[locale];
  for (const { where, input } of found) {
    const date = input.type === 'Input.Date';
    expect({ where, id: input.id, label: input.label, placeholder: input.placeholder }).toEqual({
      where,
      id: input.id,
      label: expect.stringMatching(date ? e.date : e.time),
      placeholder: date ? e.datePlaceholder : e.timePlaceholder,
    });
  }
});
