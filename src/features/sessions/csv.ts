// The attendee list as CSV for a spreadsheet: semicolons and a byte-order mark, as Dutch Excel expects.
import { csvDocument } from '../../core/csv';
import type { Locale } from '../../i18n';
import { t } from './messages';
import type { Attendees } from './service';

export function attendeesCsv(locale: Locale, a: Attendees, organisationName: (id: string) => string): string {
  const header = ['csvName', 'csvOrganisation', 'csvRole', 'csvState', 'csvPosition', 'csvSignedUpAt', 'csvAttended'] as const;
  const rows = [header.map((h) => t(locale, `session.${h}`))];
  const yesNo = (v: boolean) => t(locale, v ? 'session.yes' : 'session.no');
  for (const r of a.confirmed) {
    rows.push([r.name, organisationName(r.organisationId), t(locale, `role.${r.role}`), t(locale, 'session.stateConfirmed'), '', r.signedUpAt, yesNo(r.attended)]);
  }
  a.waiting.forEach((r, i) => {
    rows.push([r.name, organisationName(r.organisationId), t(locale, `role.${r.role}`), t(locale, 'session.stateWaiting'), String(i + 1), r.signedUpAt, '']);
  });
  return csvDocument(rows);
}
