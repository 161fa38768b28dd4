// Cards of the agenda and the digest: pure functions from data and locale to Adaptive Card JSON (1.5).
import { actionSet, card, commandButton, fieldError, heading, subheading, rowName, submit, textBlock, type AdaptiveCard, type CardElement } from '../../cards/adaptive';
import { dateInput, timeInput } from '../../cards/inputs';
import { clip, documentLink, literal } from '../../cards/markdown';
import { formatClock, formatDate, formatDateTime, type Locale } from '../../i18n';
import type { AgendaCandidate, DigestSection } from '../../capability';
import type { BatchReport } from '../../proactive/outbox';
import { t } from './messages';
import { ITEM_TYPES, LIMITS, type AgendaItem, type BoMeeting, type ItemField } from './model';
import type { ItemProblem } from './service';

/** An item's title as plain text (a standard item's in the reader's language). */
export function itemTitle(locale: Locale, item: AgendaItem): string {
  return item.standard ? t(locale, `agenda.standard.${item.standard}`) : item.title;
}

/** What the agenda and the digest show of an item's typed texts, at most; the item's own card shows them whole. */
const AGENDA_CLIP = { title: 80, summary: 120, submittedBy: 40, candidate: 60, tooltip: 80 } as const;

/** An item's title for a card: typed text shown as typed, cut to `max` when given. */
function titleText(locale: Locale, item: AgendaItem, max?: number): string {
  const title = itemTitle(locale, item);
  return item.standard ? title : literal(max ? clip(title, max) : title);
}

interface AgendaView {
  meeting: BoMeeting | undefined;
  secretariaat: boolean;
  /** Only in a personal chat: the secretariaat's buttons. */
  manage: boolean;
  candidates: AgendaCandidate[];
  notice?: string;
}

export function agendaCard(locale: Locale, view: AgendaView): AdaptiveCard {
  const { meeting } = view;
  const body: CardElement[] = [];
  if (view.notice) body.push(textBlock(view.notice, { weight: 'Bolder' }));
  if (!meeting) {
    body.push(heading(t(locale, 'agenda.none')));
    if (view.manage) body.push(newMeetingForm(locale));
    return withSummary(card(body), t(locale, 'agenda.none'));
  }
  const title = t(locale, 'agenda.title', { date: formatDate(new Date(meeting.startsAt), locale) });
  body.push(heading(title));
  body.push(textBlock(formatDateTime(new Date(meeting.startsAt), locale), { spacing: 'None' }));
  if (meeting.place) body.push(textBlock(t(locale, 'agenda.place', { place: meeting.place }), { spacing: 'None' }));
  body.push(textBlock(t(locale, `agenda.status.${meeting.status}`), { isSubtle: true, spacing: 'None' }));
  const editable = view.manage && meeting.status === 'gepland';
  // One compact row per item: its texts cut short, the whole item (and, for the secretariaat, its edit
  // form) on its own card. 30 items of the longest texts stay within Teams' budget this way.
  meeting.items.forEach((item, index) => {
    const ref = { meetingId: meeting.id, itemId: item.id };
    const open = submit(t(locale, 'agenda.itemFormTitle'), { verb: 'agendaItem', ...ref }, rowName(t(locale, 'agenda.itemFormTitle'), `${index + 1}. ${item.title}`));
    const parts: CardElement[] = [
      textBlock(`**${index + 1}. ${titleText(locale, item, AGENDA_CLIP.title)}**${item.standard ? '' : ` — ${t(locale, `agenda.type.${item.type}`)}`}`),
    ];
    // The secretariaat's rows carry buttons instead of the summary: "Bewerken" shows it whole.
    if (item.summary && !editable) parts.push(textBlock(literal(clip(item.summary, AGENDA_CLIP.summary)), { spacing: 'None', isSubtle: true }));
    const small: string[] = [];
    if (item.submittedBy) small.push(t(locale, 'agenda.submittedBy', { by: literal(clip(item.submittedBy, AGENDA_CLIP.submittedBy)) }));
    if (item.links.length) small.push(t(locale, 'agenda.documentsCount', { count: item.links.length }));
    if (small.length) parts.push(textBlock(small.join(' · '), { spacing: 'None', size: 'Small' }));
    if (editable && !item.standard) parts.push(actionSet(itemButtons(locale, meeting, index, false)));
    body.push({ type: 'Container', separator: true, spacing: 'Medium', ...(item.standard || editable ? {} : { selectAction: open }), items: parts });
  });
  const actions: CardElement[] = [];
  if (editable) {
    body.push(subheading(t(locale, 'agenda.candidates')));
    if (!view.candidates.length) body.push(textBlock(t(locale, 'agenda.candidatesNone'), { isSubtle: true }));
    for (const c of view.candidates.slice(0, 10)) {
      body.push({
        type: 'Container',
        items: [
          textBlock(`**${c.source === 'dilemmas' ? t(locale, 'agenda.candidate.dilemmas', { ref: c.ref }) : c.ref}** ${literal(clip(c.title, AGENDA_CLIP.candidate))}`),
          actionSet([submit(t(locale, 'agenda.place.button'), { verb: 'agendaPlace', meetingId: meeting.id, capability: c.source, ref: c.ref }, rowName(t(locale, 'agenda.place.button'), `${c.ref} ${c.title}`))]),
        ],
      });
    }
    actions.push({ type: 'Action.ShowCard', title: t(locale, 'agenda.addItem'), card: itemForm(locale, meeting.id) });
    actions.push({
      type: 'Action.ShowCard',
      title: t(locale, 'agenda.fix'),
      card: { type: 'AdaptiveCard', body: [textBlock(t(locale, 'agenda.fixConfirm'))], actions: [submit(t(locale, 'agenda.fixYes'), { verb: 'agendaFix', meetingId: meeting.id })] },
    });
  }
  if (view.manage && meeting.status === 'vastgesteld') {
    body.push(textBlock(t(locale, 'agenda.sendDigestHint'), { isSubtle: true }));
    actions.push(submit(t(locale, 'agenda.sendDigest'), { verb: 'agendaSendDigest', meetingId: meeting.id }));
  }
  if (view.manage) actions.push(submit(t(locale, 'agenda.report'), { verb: 'digestReport' }));
  return withSummary(card(body, actions), title);
}

interface ItemView {
  meeting: BoMeeting;
  item: AgendaItem;
  /** The secretariaat in their personal chat: the edit form, reorder and remove, while the agenda is open. */
  manage: boolean;
}

/** One agenda item whole: what the agenda row cuts short, its documents, and for the secretariaat its form. */
export function agendaItemCard(locale: Locale, view: ItemView): AdaptiveCard {
  const { meeting, item } = view;
  const number = meeting.items.findIndex((i) => i.id === item.id) + 1;
  const ref = { meetingId: meeting.id, itemId: item.id };
  const body: CardElement[] = [
    heading(`${number}. ${titleText(locale, item)}`),
    textBlock(t(locale, 'agenda.itemOf', { number, date: formatDate(new Date(meeting.startsAt), locale) }), { isSubtle: true, spacing: 'None' }),
  ];
  if (!item.standard) body.push(textBlock(t(locale, `agenda.type.${item.type}`), { spacing: 'None' }));
  if (item.summary) body.push(textBlock(literal(item.summary)));
  if (item.submittedBy) body.push(textBlock(t(locale, 'agenda.submittedBy', { by: literal(item.submittedBy) }), { size: 'Small' }));
  if (item.links.length) {
    // Each document by its file name or site, one a line: a link named "1" says nothing, least of all when read aloud.
    body.push(textBlock(`${t(locale, 'agenda.documents')}:\n\n${item.links.map((l) => `- ${documentLink(l)}`).join('\n')}`, { size: 'Small' }));
  }
  const back = commandButton(t(locale, 'agenda.backToAgenda'), 'agenda');
  if (!(view.manage && meeting.status === 'gepland' && !item.standard)) return withSummary(card(body, [back]), itemTitle(locale, item));
  const form = itemForm(locale, meeting.id, item);
  body.push({ type: 'Container', separator: true, spacing: 'Large', items: [subheading(t(locale, 'agenda.edit')), ...form.body] });
  return withSummary(
    card(body, [
      ...(form.actions ?? []),
      ...itemButtons(locale, meeting, number - 1, true),
      {
        type: 'Action.ShowCard',
        title: t(locale, 'agenda.remove'),
        tooltip: t(locale, 'agenda.removeOf', { number, title: clip(itemTitle(locale, item), AGENDA_CLIP.tooltip) }),
        card: {
          type: 'AdaptiveCard',
          body: [textBlock(t(locale, 'agenda.removeConfirm'))],
          actions: [submit(t(locale, 'agenda.removeYes'), { verb: 'agendaRemoveItem', ...ref })],
        },
      },
      back,
    ]),
    itemTitle(locale, item),
  );
}

/**
 * An item's Omhoog / Omlaag (and, on the agenda, Bewerken): only the moves that change something (opening and
 * verslag stay first, rondvraag last, as the service keeps them). Each button's tooltip names the item by its
 * number, as the row shows it ("Punt 4 omhoog"): the card renderer of Teams and the Playground makes it the
 * button's HTML title, which a screen reader reads with the short visible word, so ten "Omhoog" buttons are
 * told apart. The number, not the title: 30 rows of long titles in tooltips would not fit Teams' 80 KB.
 */
function itemButtons(locale: Locale, meeting: BoMeeting, index: number, onItemCard: boolean): CardElement[] {
  const item = meeting.items[index]!;
  const ref = { meetingId: meeting.id, itemId: item.id };
  const named = { number: index + 1 };
  const movable = (i: number) => i >= 0 && i < meeting.items.length && !meeting.items[i]!.standard;
  return [
    ...(movable(index - 1) ? [submit(t(locale, 'agenda.up'), { verb: 'agendaMoveItem', ...ref, direction: 'up' }, { tooltip: t(locale, 'agenda.upOf', named) })] : []),
    ...(movable(index + 1) ? [submit(t(locale, 'agenda.down'), { verb: 'agendaMoveItem', ...ref, direction: 'down' }, { tooltip: t(locale, 'agenda.downOf', named) })] : []),
    ...(onItemCard ? [] : [submit(t(locale, 'agenda.edit'), { verb: 'agendaItem', ...ref }, { tooltip: t(locale, 'agenda.editOf', named) })]),
  ];
}

function newMeetingForm(locale: Locale): CardElement {
  return {
    type: 'Container',
    items: [
      subheading(t(locale, 'agenda.newMeeting')),
      dateInput(locale, 'meetingDate', t(locale, 'agenda.field.date'), { isRequired: true, errorMessage: t(locale, 'agenda.badMeeting') }),
      timeInput(locale, 'meetingTime', t(locale, 'agenda.field.time'), { value: '14:00', isRequired: true, errorMessage: t(locale, 'agenda.badMeeting') }),
      { type: 'Input.Text', id: 'meetingPlace', label: t(locale, 'agenda.field.meetingPlace'), maxLength: LIMITS.place },
      actionSet([submit(t(locale, 'agenda.newMeeting'), { verb: 'agendaNewMeeting' })]),
    ],
  };
}

function formSuffix(itemId: string | undefined): string {
  return `-${itemId ?? 'new'}`;
}

interface ItemFormValues {
  type: string;
  title: string;
  summary: string;
  submittedBy: string;
  links: string;
}

/** The form to add or edit an item; shown again with the problems named at each field. */
export function itemForm(
  locale: Locale,
  meetingId: string,
  item?: AgendaItem,
  again?: { values: ItemFormValues; problems: Partial<Record<ItemField, ItemProblem>> },
): AdaptiveCard {
  const values: ItemFormValues = again?.values ?? {
    type: item?.type ?? 'bespreking',
    title: item?.title ?? '',
    summary: item?.summary ?? '',
    submittedBy: item?.submittedBy ?? '',
    links: (item?.links ?? []).join('\n'),
  };
  // Every input of a card needs its own id, and the agenda card holds one form per item.
  const suffix = formSuffix(item?.id);
  const problem = (field: ItemField, id: string): CardElement[] => {
    const p = again?.problems[field];
    return p ? [fieldError(t(locale, `agenda.problem.${p}`), id)] : [];
  };
  const body: CardElement[] = [
    ...(again ? [textBlock(t(locale, 'agenda.formProblems'), { color: 'Attention' })] : []),
    {
      type: 'Input.ChoiceSet',
      id: `itemType${suffix}`,
      label: t(locale, 'agenda.field.type'),
      style: 'compact',
      value: values.type,
      choices: ITEM_TYPES.map((type) => ({ title: t(locale, `agenda.type.${type}`), value: type })),
    },
    { type: 'Input.Text', id: `itemTitle${suffix}`, label: t(locale, 'agenda.field.title'), value: values.title, maxLength: LIMITS.title, isRequired: true, errorMessage: t(locale, 'agenda.problem.required') },
    ...problem('title', `itemTitle${suffix}`),
    { type: 'Input.Text', id: `itemSummary${suffix}`, label: t(locale, 'agenda.field.summary'), value: values.summary, isMultiline: true, maxLength: LIMITS.summary },
    ...problem('summary', `itemSummary${suffix}`),
    { type: 'Input.Text', id: `itemSubmittedBy${suffix}`, label: t(locale, 'agenda.field.submittedBy'), value: values.submittedBy, maxLength: LIMITS.submittedBy },
    ...problem('submittedBy', `itemSubmittedBy${suffix}`),
    { type: 'Input.Text', id: `itemLinks${suffix}`, label: t(locale, 'agenda.field.links'), value: values.links, isMultiline: true },
    ...problem('links', `itemLinks${suffix}`),
  ];
  const c = card(body, [submit(t(locale, 'agenda.save'), { verb: 'agendaSaveItem', meetingId, ...(item ? { itemId: item.id } : {}) })]);
  if (!again) {
    // Inside a show card: no schema, no width of its own.
    delete (c as Partial<AdaptiveCard>).msteams;
  }
  return again ? withSummary(c, t(locale, 'agenda.itemFormTitle')) : c;
}

interface DigestView {
  since: Date;
  meeting: BoMeeting | undefined;
  sections: DigestSection[];
  /** Personal chat only: a button to turn it off or on. */
  subscribed?: boolean;
}

/** A digest line, at most: each capability's section links to the whole thing. */
const DIGEST_ITEM_TEXT = 200;

export function digestCard(locale: Locale, view: DigestView): AdaptiveCard {
  const body: CardElement[] = [heading(t(locale, 'digest.title')), textBlock(t(locale, 'digest.intro', { since: formatDate(view.since, locale) }), { isSubtle: true, spacing: 'None' })];
  if (view.meeting) {
    body.push(subheading(t(locale, 'digest.nextMeeting', { date: formatDateTime(new Date(view.meeting.startsAt), locale) })));
    body.push(
      textBlock(
        view.meeting.items.map((item, i) => `${i + 1}. ${titleText(locale, item, AGENDA_CLIP.title)}`).join('\n\n'),
        { spacing: 'Small' },
      ),
    );
  } else {
    body.push(textBlock(t(locale, 'digest.nextMeetingNone')));
  }
  for (const section of view.sections) {
    body.push(subheading(section.title));
    for (const item of section.items.slice(0, 8)) {
      body.push({
        type: 'ColumnSet',
        columns: [
          { type: 'Column', width: 'stretch', items: [textBlock(clip(item.text, DIGEST_ITEM_TEXT))] },
          ...(item.action
            ? [{ type: 'Column', width: 'auto', items: [actionSet([submit(item.action.title, item.action.data)])] }]
            : []),
        ],
      });
    }
  }
  if (!view.sections.length) body.push(textBlock(t(locale, 'digest.nothingNew'), { isSubtle: true }));
  const actions: CardElement[] = [commandButton(t(locale, 'digest.openAgenda'), 'agenda')];
  if (view.subscribed !== undefined) {
    body.push(textBlock(t(locale, view.subscribed ? 'digest.subscribedNote' : 'digest.unsubscribedNote'), { isSubtle: true, size: 'Small' }));
    actions.push(commandButton(t(locale, view.subscribed ? 'digest.unsubscribe' : 'digest.subscribe'), view.subscribed ? 'digest uit' : 'digest aan'));
  }
  return withSummary(card(body, actions), t(locale, 'digest.title'));
}

export function reportCard(locale: Locale, moment: Date | undefined, report: BatchReport | undefined, names: string[], notice?: string, now = new Date()): AdaptiveCard {
  const top: CardElement[] = notice ? [textBlock(notice, { weight: 'Bolder' })] : [];
  if (!moment || !report) return withSummary(card([...top, heading(t(locale, 'report.title')), textBlock(t(locale, 'report.none'))]), t(locale, 'report.title'));
  const facts = [
    { title: t(locale, 'report.total'), value: String(report.total) },
    { title: t(locale, 'report.sent'), value: String(report.sent) },
    // Sent again after a crash took over a send already under way: Teams may have delivered both.
    ...(report.maybeDouble > 0 ? [{ title: t(locale, 'report.maybeDouble'), value: String(report.maybeDouble) }] : []),
    { title: t(locale, 'report.failed'), value: String(report.failed) },
    { title: t(locale, 'report.unreachable'), value: String(report.unreachable) },
    { title: t(locale, 'report.pending'), value: String(report.pending) },
    { title: t(locale, 'report.skipped'), value: String(report.skipped) },
    // Teams sends read receipts only from personal chats, and only when people allow them.
    { title: t(locale, 'report.read'), value: report.read > 0 ? String(report.read) : t(locale, 'report.readUnavailable') },
  ];
  const body: CardElement[] = [
    ...top,
    heading(t(locale, 'report.title')),
    textBlock(t(locale, 'report.batch', { date: formatDateTime(moment, locale) }), { spacing: 'None' }),
    { type: 'FactSet', facts },
  ];
  if (report.maybeDouble > 0) body.push(textBlock(t(locale, 'report.maybeDoubleWhy', { count: report.maybeDouble }), { wrap: true }));
  if (names.length) body.push(textBlock(t(locale, 'report.unreachablePeople', { names: names.slice(0, 30).join(', ') }), { wrap: true }));
  body.push(textBlock(t(locale, report.pending > 0 ? 'report.asOfBusy' : 'report.asOf', { time: formatClock(now) }), { isSubtle: true, size: 'Small', wrap: true }));
  const result = card(body, [submit(t(locale, 'report.refresh'), { verb: 'digestReport' })]);
  // Teams asks for a fresh card by itself whenever the report is shown again, so the counts keep up without a press.
  result.refresh = { action: { type: 'Action.Execute', title: t(locale, 'report.refresh'), verb: 'digestReportRefresh', data: {} } };
  return withSummary(result, t(locale, 'report.title'));
}

function withSummary(c: AdaptiveCard, summary: string): AdaptiveCard {
  return { ...c, fallbackText: summary };
}

/** What an old report becomes for someone who is no longer secretariaat: the counts are theirs no more. */
export function reportGoneCard(locale: Locale): AdaptiveCard {
  return withSummary(card([heading(t(locale, 'report.title')), textBlock(t(locale, 'report.gone'), { wrap: true })]), t(locale, 'report.title'));
}
