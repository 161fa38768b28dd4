// The besluitenlijst of one meeting as a Word document (the `docx` library), per agenda item its decisions and
// agreements. Without names, an agreement shows only the owning organisation: such lists are often made public.
import type { Paragraph as ParagraphType } from 'docx';
import { formatDate, type Locale } from '../../i18n';
import type { BoMeeting } from '../agenda';
import { ownerText } from './cards';
import { t } from './messages';
import type { Decision } from './model';

interface DocumentInput {
  meeting: BoMeeting;
  decisions: Decision[];
  organisationName: (id: string) => string;
  withNames: boolean;
  locale: Locale;
}

const standardTitles: Record<string, { nl: string; en: string }> = {
  opening: { nl: 'Opening en mededelingen', en: 'Opening and announcements' },
  verslag: { nl: 'Verslag vorige vergadering', en: 'Minutes of the previous meeting' },
  rondvraag: { nl: 'Rondvraag', en: 'Any other business' },
};

export async function besluitenlijst(input: DocumentInput): Promise<Buffer> {
  // Loaded on the first download, not at start: the library is large and most processes never need it.
  const { Document, HeadingLevel, Packer, Paragraph, TextRun } = await import('docx');
  const { meeting, decisions, locale } = input;
  const day = (iso: string) => formatDate(new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso), locale);
  const children: ParagraphType[] = [
    new Paragraph({ text: t(locale, 'doc.title'), heading: HeadingLevel.TITLE }),
    new Paragraph({ text: t(locale, 'doc.meeting', { date: day(meeting.startsAt), place: meeting.place }) }),
  ];
  if (!input.withNames) children.push(new Paragraph({ children: [new TextRun({ text: t(locale, 'doc.anonymous'), italics: true })] }));
  if (!decisions.length) children.push(new Paragraph({ text: t(locale, 'doc.noDecisions') }));
  // Items in agenda order; decisions on an item that left the agenda come last under their own title.
  const order = new Map(meeting.items.map((item, index) => [item.id, index]));
  const groups = new Map<string, Decision[]>();
  for (const d of [...decisions].sort((a, b) => (order.get(a.itemId) ?? 999) - (order.get(b.itemId) ?? 999) || a.createdAt.localeCompare(b.createdAt))) {
    groups.set(d.itemId, [...(groups.get(d.itemId) ?? []), d]);
  }
  let number = 0;
  for (const [itemId, list] of groups) {
    const item = meeting.items.find((i) => i.id === itemId);
    const title = item ? (item.standard ? standardTitles[item.standard]?.[locale] ?? item.standard : item.title) : list[0]!.itemTitle;
    children.push(new Paragraph({ text: title, heading: HeadingLevel.HEADING_2 }));
    for (const d of list) {
      number += 1;
      children.push(
        new Paragraph({
          children: [new TextRun({ text: `${number}. ${t(locale, `decision.kind.${d.kind}`)}: `, bold: true }), new TextRun({ text: d.text })],
        }),
      );
      if (d.kind === 'afspraak') {
        const owner = ownerText(d, input.organisationName, input.withNames);
        const status = d.status === 'gedaan' ? ` ${t(locale, 'doc.status.gedaan')}` : '';
        children.push(new Paragraph({ children: [new TextRun({ text: `${t(locale, 'doc.owner', { owner, date: day(d.dueDate) })}${status}`, italics: true })] }));
      }
    }
  }
  const doc = new Document({
    creator: 'BO Wonen',
    title: `${t(locale, 'doc.title')} ${meeting.id}`,
    sections: [{ children }],
  });
  return Packer.toBuffer(doc);
}
