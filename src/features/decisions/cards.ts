// Cards of decisions and agreements: the secretariaat's recording card per meeting, `acties`, the change card,
// notices and the download link. Pure functions from data and locale to Adaptive Card JSON (1.5).
import { actionSet, card, choiceSet, commandButton, fieldError, heading, rowName, submit, subheading, textBlock, type AdaptiveCard, type CardElement } from '../../cards/adaptive';
import { dateInput } from '../../cards/inputs';
import { clip, literal } from '../../cards/markdown';
import { formatDate, type Locale } from '../../i18n';
import type { BoMeeting } from '../agenda';
import { t } from './messages';
import { KINDS, LIMITS, type Decision, type RecordProblem } from './model';
import { isOverdue } from './service';

const dayText = (day: string, locale: Locale) => (day ? formatDate(new Date(`${day}T12:00:00Z`), locale) : '');
const meetingDate = (startsAt: string, locale: Locale) => formatDate(new Date(startsAt), locale);

/** The owner as people read it: "name (organisation)", or the organisation; names left out when asked. */
export function ownerText(d: Decision, organisationName: (id: string) => string, withNames = true): string {
  const organisation = organisationName(d.ownerOrganisationId);
  return d.ownerName && withNames ? `${d.ownerName} (${organisation})` : organisation;
}

export interface RecordView {
  meeting: BoMeeting;
  decisions: Decision[];
  owners: Array<{ title: string; value: string }>;
  organisationName: (id: string) => string;
  notice?: string;
  problems?: Partial<Record<'kind' | 'text' | 'owner' | 'dueDate', RecordProblem>>;
  values?: { item: string; kind: string; text: string; owner: string; due: string };
}

function itemName(locale: Locale, item: BoMeeting['items'][number]): string {
  if (!item.standard) return item.title;
  const names: Record<string, { nl: string; en: string }> = {
    opening: { nl: 'Opening en mededelingen', en: 'Opening and announcements' },
    verslag: { nl: 'Verslag vorige vergadering', en: 'Minutes of the previous meeting' },
    rondvraag: { nl: 'Rondvraag', en: 'Any other business' },
  };
  return names[item.standard]?.[locale] ?? item.standard;
}

/** One decision on the recording card, short: the card holds up to 60 of them. */
function decisionLine(locale: Locale, d: Decision, organisationName: (id: string) => string): string {
  const line = t(locale, `decision.line.${d.kind}`, { text: literal(clip(d.text, 90)) });
  if (d.kind !== 'afspraak') return line;
  const owner = d.ownerName ? `${clip(d.ownerName, 40)} (${clip(organisationName(d.ownerOrganisationId), 40)})` : clip(organisationName(d.ownerOrganisationId), 40);
  return `${line}  \n${t(locale, 'decision.ownerDue', { owner: literal(owner), date: dayText(d.dueDate, locale) })}`;
}

/** The secretariaat's card for one meeting: what is recorded per item, and the form to record more. */
export function recordCard(locale: Locale, view: RecordView): AdaptiveCard {
  const { meeting, decisions } = view;
  const body: CardElement[] = [heading(t(locale, 'decision.recordTitle', { date: meetingDate(meeting.startsAt, locale) }))];
  if (view.notice) body.push(textBlock(view.notice, { color: 'Good', weight: 'Bolder' }));
  body.push(textBlock(t(locale, 'decision.recordIntro'), { isSubtle: true }));
  if (!decisions.length) body.push(textBlock(t(locale, 'decision.none')));
  for (const item of meeting.items) {
    const here = decisions.filter((d) => d.itemId === item.id);
    if (!here.length) continue;
    body.push(subheading(literal(clip(itemName(locale, item), 80))));
    for (const d of here) body.push(textBlock(decisionLine(locale, d, view.organisationName), { spacing: 'Small' }));
  }
  // Decisions on items that have left the agenda since.
  const gone = decisions.filter((d) => !meeting.items.some((i) => i.id === d.itemId));
  for (const d of gone) body.push(textBlock(`${literal(clip(d.itemTitle, 80))}: ${decisionLine(locale, d, view.organisationName)}`));

  const v = view.values;
  const problem = (field: 'kind' | 'text' | 'owner' | 'dueDate', id: string) => {
    const p = view.problems?.[field];
    return p ? [fieldError(t(locale, `decision.problem.${p}`), id)] : [];
  };
  body.push(
    subheading(t(locale, 'decision.save')),
    choiceSet(
      'decisionItem',
      t(locale, 'decision.item'),
      meeting.items.map((i) => ({ title: clip(itemName(locale, i), 80), value: i.id })),
      { value: v?.item ?? meeting.items.find((i) => !i.standard)?.id ?? meeting.items[0]?.id ?? '' },
    ),
    choiceSet('decisionKind', t(locale, 'decision.kind'), KINDS.map((k) => ({ title: t(locale, `decision.kind.${k}`), value: k })), { value: v?.kind ?? 'afspraak', style: 'expanded' }),
    ...problem('kind', 'decisionKind'),
    { type: 'Input.Text', id: 'decisionText', label: t(locale, 'decision.text'), isMultiline: true, maxLength: LIMITS.text, value: v?.text ?? '' },
    ...problem('text', 'decisionText'),
    choiceSet('decisionOwner', t(locale, 'decision.owner'), view.owners.map((o) => ({ title: clip(o.title, 60), value: o.value })), { value: v?.owner ?? '', style: 'filtered' }),
    ...problem('owner', 'decisionOwner'),
    dateInput(locale, 'decisionDue', t(locale, 'decision.due'), { value: v?.due ?? '' }),
    ...problem('dueDate', 'decisionDue'),
    actionSet([submit(t(locale, 'decision.save'), { verb: 'decisionRecord', meetingId: meeting.id })]),
    textBlock(t(locale, 'decision.otherMeeting'), { isSubtle: true, size: 'Small' }),
  );
  return card(body, [
    submit(t(locale, 'decision.document'), { verb: 'decisionDocument', meetingId: meeting.id, anonymous: false }),
    submit(t(locale, 'decision.documentAnonymous'), { verb: 'decisionDocument', meetingId: meeting.id, anonymous: true }),
    commandButton(t(locale, 'menu.acties'), 'acties'),
  ]);
}

interface ActiesView {
  title: string;
  intro?: string;
  empty: string;
  groups: Array<{ title: string; items: Decision[] }>;
  today: string;
  organisationName: (id: string) => string;
  /** The secretariaat: "Wijzigen" on each, and the views by meeting and organisation. */
  manage: boolean;
  notice?: string;
}

function agreementBlock(locale: Locale, d: Decision, view: ActiesView): CardElement[] {
  const out: CardElement[] = [
    textBlock(literal(clip(d.text, 300)), { weight: 'Bolder', spacing: 'Medium', separator: true }),
    textBlock(
      [
        t(locale, 'acties.owner', { owner: literal(ownerText(d, view.organisationName)) }),
        t(locale, isOverdue(d, view.today) ? 'acties.dueOverdue' : 'acties.due', { date: dayText(d.dueDate, locale) }),
        t(locale, 'acties.from', { item: literal(clip(d.itemTitle, 100)) }),
      ].join('  \n'),
      { isSubtle: !isOverdue(d, view.today), spacing: 'None', ...(isOverdue(d, view.today) ? { color: 'Attention' } : {}) },
    ),
  ];
  if (d.status === 'gedaan') {
    out.push(textBlock(t(locale, 'acties.doneOn', { date: formatDate(new Date(d.doneAt), locale) }), { color: 'Good', spacing: 'None' }));
    if (d.doneNote) out.push(textBlock(t(locale, 'acties.doneNote', { note: literal(clip(d.doneNote, LIMITS.note)) }), { spacing: 'None' }));
    return out;
  }
  out.push({ type: 'Input.Text', id: `note-${d.id}`, placeholder: t(locale, 'acties.note'), label: t(locale, 'acties.note'), maxLength: LIMITS.note });
  // One pair of buttons per agreement: each named after its agreement for a screen reader.
  const actions = [submit(t(locale, 'acties.done'), { verb: 'agreementDone', id: d.id }, rowName(t(locale, 'acties.done'), d.text))];
  if (view.manage) actions.push(submit(t(locale, 'acties.change'), { verb: 'agreementEdit', id: d.id }, rowName(t(locale, 'acties.change'), d.text)));
  out.push(actionSet(actions));
  return out;
}

/** `acties`: groups of agreements, at most LIMITS.onCard on one card. */
export function actiesCard(locale: Locale, view: ActiesView): AdaptiveCard {
  const body: CardElement[] = [heading(view.title)];
  if (view.notice) body.push(textBlock(view.notice, { color: 'Good', weight: 'Bolder' }));
  if (view.intro) body.push(textBlock(view.intro, { isSubtle: true }));
  let shown = 0;
  let hidden = 0;
  for (const group of view.groups) {
    if (!group.items.length) continue;
    const room = LIMITS.onCard - shown;
    if (room <= 0) {
      hidden += group.items.length;
      continue;
    }
    body.push(subheading(group.title));
    for (const d of group.items.slice(0, room)) body.push(...agreementBlock(locale, d, view));
    shown += Math.min(room, group.items.length);
    hidden += Math.max(0, group.items.length - room);
  }
  if (!shown) body.push(textBlock(view.empty));
  if (hidden) body.push(textBlock(t(locale, 'acties.more', { count: hidden }), { isSubtle: true }));
  const actions = view.manage
    ? [
        submit(t(locale, 'acties.byMeeting'), { verb: 'agreementList', by: 'meeting' }),
        submit(t(locale, 'acties.byOrganisation'), { verb: 'agreementList', by: 'organisation' }),
        submit(t(locale, 'acties.mineTitle'), { verb: 'agreementList', by: 'mine' }),
      ]
    : [];
  return card(body, actions);
}

/** The secretariaat changes an agreement's owner or due date. */
export function changeCard(locale: Locale, d: Decision, owners: Array<{ title: string; value: string }>, organisationName: (id: string) => string): AdaptiveCard {
  const current = d.ownerAadObjectId ? `m:${d.ownerAadObjectId}` : `o:${d.ownerOrganisationId}`;
  return card(
    [
      heading(t(locale, 'acties.changeTitle')),
      textBlock(literal(clip(d.text, 300))),
      textBlock(t(locale, 'acties.owner', { owner: literal(ownerText(d, organisationName)) }), { isSubtle: true }),
      choiceSet('agreementOwner', t(locale, 'acties.changeOwner'), owners.map((o) => ({ title: clip(o.title, 60), value: o.value })), { value: current, style: 'filtered' }),
      dateInput(locale, 'agreementDue', t(locale, 'acties.changeDue'), { value: d.dueDate }),
    ],
    [submit(t(locale, 'acties.changeSave'), { verb: 'agreementChange', id: d.id }), submit(t(locale, 'acties.back'), { verb: 'agreementList', by: 'meeting' })],
  );
}

/** The owner's notice: a new agreement, or the reminder before its date. */
export function noticeCard(locale: Locale, d: Decision, kind: 'made' | 'reminder', organisationName: (id: string) => string): AdaptiveCard {
  const date = meetingDate(d.meetingAt, locale);
  const lead =
    kind === 'made'
      ? t(locale, 'notice.made', { owner: literal(ownerText(d, organisationName)), date })
      : t(locale, 'notice.reminder', { date, due: dayText(d.dueDate, locale) });
  return card(
    [
      textBlock(lead, { weight: 'Bolder' }),
      textBlock(literal(clip(d.text, LIMITS.text))),
      textBlock(`${t(locale, 'acties.due', { date: dayText(d.dueDate, locale) })}  \n${t(locale, 'acties.from', { item: literal(clip(d.itemTitle, 150)) })}`, { isSubtle: true }),
    ],
    [commandButton(t(locale, 'notice.open'), 'acties')],
  );
}

export function documentLinkCard(locale: Locale, meeting: BoMeeting, url: string, anonymous: boolean, minutes: number): AdaptiveCard {
  const date = meetingDate(meeting.startsAt, locale);
  return card(
    [textBlock(t(locale, anonymous ? 'decision.documentReadyAnonymous' : 'decision.documentReady', { date, minutes }))],
    [{ type: 'Action.OpenUrl', title: t(locale, 'decision.download'), url }],
  );
}
