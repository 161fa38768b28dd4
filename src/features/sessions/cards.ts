// Session cards: pure functions from data and locale to Adaptive Card JSON (1.5).
import { actionSet, card, choiceSet, fieldError, heading, rowName, submit, textBlock, type AdaptiveCard, type CardElement } from '../../cards/adaptive';
import { dateInput, timeInput } from '../../cards/inputs';
import { clip, literal } from '../../cards/markdown';
import { quotable } from '../../text';
import { formatter, type Locale } from '../../i18n';
import { ROLES, type Role } from '../../identity';
import { t } from './messages';
import { LIMITS, SERIES, type PersonRef, type Registration, type Session, type SessionField, type SessionStatus } from './model';
import type { Attendees, FieldProblem, SessionNotice, SessionView } from './service';
import { personKeyOf } from './store';
import { TIME_ZONE, toLocal } from '../../time';

const intl = (locale: Locale) => (locale === 'en' ? 'en-GB' : 'nl-NL');

export function dayText(iso: string, locale: Locale): string {
  return formatter(`day|${locale}`, () =>
    new Intl.DateTimeFormat(intl(locale), { timeZone: TIME_ZONE, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }),
  ).format(new Date(iso));
}

function timeText(iso: string, locale: Locale): string {
  return formatter(`clock|${locale}`, () => new Intl.DateTimeFormat(intl(locale), { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })).format(
    new Date(iso),
  );
}

/** "dinsdag 16 maart 2027, 14:00–17:00" */
export function whenText(session: Session, locale: Locale): string {
  return t(locale, 'session.when', { date: dayText(session.startsAt, locale), from: timeText(session.startsAt, locale), to: timeText(session.endsAt, locale) });
}

function statusLabel(locale: Locale, status: SessionStatus): string {
  return t(locale, `session.status.${status}`);
}

function seatsLine(locale: Locale, session: Session): string {
  const left = session.capacity - session.confirmedCount;
  if (left <= 0) return t(locale, 'session.full', { capacity: session.capacity, waiting: session.waitingCount });
  return left === 1
    ? t(locale, 'session.seatsLeftOne', { capacity: session.capacity })
    : t(locale, 'session.seatsLeft', { count: left, capacity: session.capacity });
}

/** Sessions on one list card; "Meer sessies" shows the next ones. */
const SESSIONS_PER_PAGE = 6;
/** People per attendee card (signed up and waiting each); the whole list is the CSV. */
const ATTENDEES_PER_PAGE = 25;
/** What a list shows of a text, at most; the whole text is on the session's form and notices (people: the CSV). */
const LIST_CLIP = { description: 300, location: 120, host: 80, facilitatorName: 80, opbrengst: 300, personName: 60, organisation: 40 } as const;

interface ListOptions {
  /** The first session to show (0 is the first). */
  from?: number;
  /** Which list this is, so a button pressed on it can show the same list again. */
  list: 'upcoming' | 'mine' | 'led';
  role: Role;
  calendarUrl(sessionId: string): string;
  notice?: string;
  /**
   * The answer to a button pressed on this list, shown in that session's block where the button was, so it is
   * where the person looks; at the top when that session is not on the page (any more).
   */
  answer?: { sessionId: string; text: string };
  /** Buttons for managers (secretariaat; the gespreksleider of a session). */
  manages(session: Session): boolean;
  /** The secretariaat's edit and cancel buttons (not in a shared chat, where the card is everyone's). */
  administers?: boolean;
}

function sessionBlock(locale: Locale, view: SessionView, options: ListOptions): CardElement {
  const { session, status } = view;
  const lines: CardElement[] = [
    textBlock(`${t(locale, `session.series.${session.series}`)} · ${session.id}`, { isSubtle: true, size: 'Small', spacing: 'None' }),
    textBlock(literal(session.title), { weight: 'Bolder', size: 'Medium', spacing: 'None' }),
    textBlock(whenText(session, locale), { spacing: 'Small' }),
    textBlock(t(locale, 'session.where', { location: literal(clip(session.location, LIST_CLIP.location)) }), { spacing: 'None' }),
  ];
  if (session.hostOrganisation) lines.push(textBlock(t(locale, 'session.host', { host: literal(clip(session.hostOrganisation, LIST_CLIP.host)) }), { spacing: 'None', isSubtle: true }));
  if (session.facilitatorName) lines.push(textBlock(t(locale, 'session.facilitator', { name: literal(clip(session.facilitatorName, LIST_CLIP.facilitatorName)) }), { spacing: 'None', isSubtle: true }));
  if (session.description) lines.push(textBlock(literal(clip(session.description, LIST_CLIP.description)), { spacing: 'Small', size: 'Small', maxLines: 4 }));
  if (status === 'open' || status === 'vol') {
    lines.push(textBlock(seatsLine(locale, session), { spacing: 'Small', weight: 'Bolder' }));
    lines.push(textBlock(t(locale, 'session.deadline', { date: dayText(session.signupDeadline, locale) }), { spacing: 'None', size: 'Small', isSubtle: true }));
  } else {
    lines.push(textBlock(t(locale, 'session.statusLine', { status: statusLabel(locale, status) }), { spacing: 'Small', weight: 'Bolder', color: status === 'geannuleerd' ? 'Attention' : 'Default' }));
  }
  if (options.role === 'secretariaat' || options.list === 'led') {
    const roles = session.audience.map((r) => t(locale, `session.role.${r}`)).join(', ');
    lines.push(textBlock(t(locale, 'session.audienceLine', { roles }), { spacing: 'None', size: 'Small', isSubtle: true }));
  }
  const answered = options.answer?.sessionId === session.id;
  if (answered) {
    lines.push({ type: 'Container', style: 'emphasis', spacing: 'Small', items: [textBlock(options.answer!.text, { weight: 'Bolder' })] });
  } else if (view.mine) {
    const mine = view.mine.state === 'bevestigd' ? t(locale, 'session.youConfirmed') : t(locale, 'session.youWaiting', { position: view.mine.position });
    lines.push(textBlock(mine, { color: 'Accent', weight: 'Bolder', spacing: 'Small' }));
  }
  if (session.opbrengst && options.list === 'led') lines.push(textBlock(t(locale, 'session.opbrengstCurrent', { text: literal(clip(session.opbrengst, LIST_CLIP.opbrengst)) }), { size: 'Small' }));

  // The page goes along, so the list that comes back after a button shows the same sessions.
  const ref = { sessionId: session.id, list: options.list, ...(options.from ? { from: options.from } : {}) };
  const buttons: CardElement[] = [];
  const started = status === 'voorbij' || Date.now() >= Date.parse(session.startsAt);
  // Every session block has the same buttons: each is named after its session for a screen reader.
  const button = (key: Parameters<typeof t>[1], data: Record<string, unknown>, extra: CardElement = {}) => {
    const title = t(locale, key);
    return submit(title, data, { ...rowName(title, session.title), ...extra });
  };
  if (!view.mine && (status === 'open' || status === 'vol') && session.audience.includes(options.role)) {
    buttons.push(button('session.signUp', { verb: 'sessionSignUp', ...ref }, { style: 'positive' }));
  }
  if (view.mine && !started && status !== 'geannuleerd') buttons.push(button('session.cancelSignUp', { verb: 'sessionCancelSignUp', ...ref }));
  if (status !== 'geannuleerd' && status !== 'voorbij') {
    buttons.push({ type: 'Action.OpenUrl', title: t(locale, 'session.calendar'), url: options.calendarUrl(session.id), ...rowName(t(locale, 'session.calendar'), session.title) });
  }
  // Managing goes on its own row: a row holds at most five buttons.
  const manage: CardElement[] = [];
  if (options.manages(session)) manage.push(button('session.attendees', { verb: 'sessionAttendees', sessionId: session.id }));
  if (options.administers && status !== 'geannuleerd' && status !== 'voorbij') {
    manage.push(button('session.edit', { verb: 'sessionEdit', sessionId: session.id }));
    if (session.state === 'open' || session.state === 'gesloten') {
      const open = session.state === 'gesloten';
      manage.push(button(open ? 'session.reopen' : 'session.close', { verb: 'sessionSignUpState', sessionId: session.id, open }));
    }
    manage.push({
      type: 'Action.ShowCard',
      title: t(locale, 'session.cancel'),
      ...rowName(t(locale, 'session.cancel'), session.title),
      card: {
        type: 'AdaptiveCard',
        body: [textBlock(t(locale, 'session.cancelConfirm'))],
        actions: [button('session.cancelYes', { verb: 'sessionCancel', sessionId: session.id }, { style: 'destructive' })],
      },
    });
  }
  return {
    type: 'Container',
    separator: true,
    spacing: 'Medium',
    items: [...lines, ...(buttons.length ? [actionSet(buttons)] : []), ...(manage.length ? [actionSet(manage, { spacing: 'Small' })] : [])],
  };
}

export function sessionListCard(locale: Locale, views: SessionView[], options: ListOptions): AdaptiveCard {
  const title = options.list === 'mine' ? 'session.mineTitle' : options.list === 'led' ? 'session.ledTitle' : 'session.listTitle';
  const empty = options.list === 'mine' ? 'session.mineEmpty' : options.list === 'led' ? 'session.ledEmpty' : 'session.listEmpty';
  const body: CardElement[] = [heading(t(locale, title))];
  const from = Math.min(options.from ?? 0, Math.max(0, views.length - 1));
  const page = views.slice(from, from + SESSIONS_PER_PAGE);
  const answerInBlock = !!options.answer && page.some((v) => v.session.id === options.answer!.sessionId);
  const top = options.notice ?? (options.answer && !answerInBlock ? options.answer.text : undefined);
  if (top) body.push(textBlock(top, { weight: 'Bolder' }));
  if (options.list === 'upcoming') body.push(textBlock(t(locale, 'session.listIntro'), { isSubtle: true }));
  if (!views.length) body.push(textBlock(t(locale, empty)));
  for (const view of page) body.push(sessionBlock(locale, view, { ...options, from }));
  const next = from + page.length;
  const actions = options.administers && options.list === 'upcoming' ? [submit(t(locale, 'session.new'), { verb: 'sessionNew' })] : [];
  if (next < views.length) actions.push(submit(t(locale, 'session.more', { count: views.length - next }), { verb: 'sessionList', list: options.list, from: next }));
  const c = card(body, actions);
  // The notice first when there is one, so the chat list shows what just happened.
  c.fallbackText = options.notice ?? options.answer?.text ?? t(locale, title);
  return c;
}

export interface FormValues {
  series: string;
  title: string;
  description: string;
  date: string;
  startTime: string;
  endTime: string;
  deadlineDate: string;
  location: string;
  hostOrganisation: string;
  facilitatorName: string;
  facilitator: string;
  capacity: string;
  audience: string;
}

export function valuesOf(session: Session): FormValues {
  const start = toLocal(new Date(session.startsAt));
  const end = toLocal(new Date(session.endsAt));
  return {
    series: session.series,
    title: session.title,
    description: session.description,
    date: start.date,
    startTime: start.time,
    endTime: end.time,
    deadlineDate: toLocal(new Date(session.signupDeadline)).date,
    location: session.location,
    hostOrganisation: session.hostOrganisation,
    facilitatorName: session.facilitatorName,
    facilitator: session.facilitator ? personKeyOf(session.facilitator) : '',
    capacity: String(session.capacity),
    audience: session.audience.join(','),
  };
}

interface FormOptions {
  submissionId: string;
  editId?: string;
  values?: Partial<FormValues>;
  problems?: Partial<Record<SessionField, FieldProblem>>;
  /** Already confirmed (for the "capacity below" problem). */
  confirmed?: number;
  facilitators: PersonRef[];
}

export function sessionFormCard(locale: Locale, options: FormOptions): AdaptiveCard {
  const v = options.values ?? {};
  const problems = options.problems ?? {};
  const problem = (field: SessionField): CardElement[] => {
    const p = problems[field];
    if (!p) return [];
    return [fieldError(t(locale, `session.problem.${p}`, { max: LIMITS.capacity, confirmed: options.confirmed ?? 0 }), field)];
  };
  const label = (field: SessionField) => t(locale, `session.field.${field}`);
  const text = (field: SessionField, max: number, extra: CardElement = {}): CardElement[] => [
    { type: 'Input.Text', id: field, label: label(field), value: v[field] ?? '', maxLength: max, ...extra },
    ...problem(field),
  ];
  const body: CardElement[] = [
    heading(options.editId ? t(locale, 'session.formEditTitle', { id: options.editId }) : t(locale, 'session.formNewTitle')),
    textBlock(t(locale, 'session.formIntro'), { isSubtle: true }),
  ];
  if (Object.keys(problems).length) body.push(textBlock(t(locale, 'session.formProblems'), { color: 'Attention', weight: 'Bolder' }));
  body.push(
    choiceSet('series', label('series'), SERIES.map((s) => ({ title: t(locale, `session.series.${s}`), value: s })), { value: v.series ?? 'praktijkleergang', isRequired: true, errorMessage: t(locale, 'session.problem.invalidChoice') }),
    ...problem('series'),
    ...text('title', LIMITS.title, { isRequired: true, errorMessage: t(locale, 'session.problem.required') }),
    ...text('description', LIMITS.description, { isMultiline: true }),
    dateInput(locale, 'date', label('date'), { value: v.date ?? '', isRequired: true, errorMessage: t(locale, 'session.problem.invalidDate') }),
    ...problem('date'),
    {
      type: 'ColumnSet',
      columns: [
        { type: 'Column', width: 'stretch', items: [timeInput(locale, 'startTime', label('startTime'), { value: v.startTime ?? '', isRequired: true, errorMessage: t(locale, 'session.problem.invalidTime') }), ...problem('startTime')] },
        { type: 'Column', width: 'stretch', items: [timeInput(locale, 'endTime', label('endTime'), { value: v.endTime ?? '', isRequired: true, errorMessage: t(locale, 'session.problem.invalidTime') }), ...problem('endTime')] },
      ],
    },
    dateInput(locale, 'deadlineDate', label('deadlineDate'), { value: v.deadlineDate ?? '', isRequired: true, errorMessage: t(locale, 'session.problem.invalidDate') }),
    ...problem('deadlineDate'),
    ...text('location', LIMITS.location, { isRequired: true, errorMessage: t(locale, 'session.problem.required') }),
    ...text('hostOrganisation', LIMITS.host),
    ...text('facilitatorName', LIMITS.facilitatorName),
    choiceSet(
      'facilitator',
      label('facilitator'),
      [{ title: t(locale, 'session.noFacilitator'), value: 'geen' }, ...options.facilitators.map((f) => ({ title: f.name, value: personKeyOf(f) }))],
      { value: v.facilitator || 'geen' },
    ),
    ...problem('facilitator'),
    { type: 'Input.Number', id: 'capacity', label: label('capacity'), value: v.capacity ? Number(v.capacity) || undefined : 20, min: 1, max: LIMITS.capacity, isRequired: true, errorMessage: t(locale, 'session.problem.invalidNumber') },
    ...problem('capacity'),
    choiceSet('audience', label('audience'), ROLES.map((r) => ({ title: t(locale, `session.role.${r}`), value: r })), {
      isMultiSelect: true,
      style: 'expanded',
      value: v.audience ?? 'wethouder,directeur-bestuurder',
      isRequired: true,
      errorMessage: t(locale, 'session.problem.required'),
    }),
    ...problem('audience'),
  );
  const data = { verb: 'sessionSave', submissionId: options.submissionId, ...(options.editId ? { editId: options.editId } : {}) };
  const c = card(body, [submit(t(locale, 'session.save'), data, { style: 'positive' })]);
  return c;
}

interface AttendeeOptions {
  organisationName(id: string): string;
  /** The signed CSV download, for the secretariaat. */
  csv?: { url: string; minutes: number };
  started: boolean;
  notice?: string;
  /** The first person of each list to show (0 is the first). */
  from?: number;
}

/** A person on the attendee card: name and organisation cut short (whole in the CSV). */
function person(locale: Locale, r: Registration, organisationName: (id: string) => string): string {
  return `${literal(clip(r.name, LIST_CLIP.personName))} (${literal(clip(organisationName(r.organisationId), LIST_CLIP.organisation))})`;
}

/** The people of an attendee page: signed up and waiting from the same place in each list. */
export function attendeePage(a: Attendees, from: number): { from: number; confirmed: Registration[]; waiting: Registration[]; more: boolean } {
  const start = Math.max(0, Math.min(from, Math.max(a.confirmed.length, a.waiting.length) - 1));
  const end = start + ATTENDEES_PER_PAGE;
  return { from: start, confirmed: a.confirmed.slice(start, end), waiting: a.waiting.slice(start, end), more: end < Math.max(a.confirmed.length, a.waiting.length) };
}

export function attendeesCard(locale: Locale, a: Attendees, options: AttendeeOptions): AdaptiveCard {
  const { session } = a;
  const page = attendeePage(a, options.from ?? 0);
  const numbered = (list: Registration[], mark: (r: Registration) => string) =>
    list.map((r, i) => `${page.from + i + 1}. ${person(locale, r, options.organisationName)}${mark(r)}`).join('\n');
  const body: CardElement[] = [heading(t(locale, 'session.attendeesTitle', { title: literal(session.title) })), textBlock(whenText(session, locale), { isSubtle: true })];
  if (options.notice) body.push(textBlock(options.notice, { weight: 'Bolder' }));
  const paged = page.from > 0 || page.more;
  if (paged) {
    const total = Math.max(a.confirmed.length, a.waiting.length);
    body.push(textBlock(t(locale, 'session.pageOf', { from: page.from + 1, to: Math.min(page.from + ATTENDEES_PER_PAGE, total), total }), { isSubtle: true, size: 'Small' }));
  }
  body.push(textBlock(t(locale, 'session.confirmedHeader', { count: a.confirmed.length, capacity: session.capacity }), { weight: 'Bolder', spacing: 'Medium' }));
  body.push(
    page.confirmed.length
      ? textBlock(numbered(page.confirmed, (r) => (r.attended ? ` · ${t(locale, 'session.attendedMark')}` : '')))
      : textBlock(t(locale, 'session.nobody'), { isSubtle: true }),
  );
  body.push(textBlock(t(locale, 'session.waitingHeader', { count: a.waiting.length }), { weight: 'Bolder', spacing: 'Medium' }));
  body.push(page.waiting.length ? textBlock(numbered(page.waiting, () => '')) : textBlock(t(locale, 'session.nobody'), { isSubtle: true }));
  const actions: CardElement[] = [];
  if (options.started && session.state !== 'geannuleerd') {
    if (page.confirmed.length) {
      // Attendance for the people on this page; saving it leaves the other pages as they are.
      body.push(
        choiceSet(
          'attended',
          t(locale, 'session.attendanceLabel'),
          page.confirmed.map((r) => ({ title: person(locale, r, options.organisationName), value: personKeyOf(r) })),
          { isMultiSelect: true, style: 'expanded', value: page.confirmed.filter((r) => r.attended).map((r) => personKeyOf(r)).join(','), spacing: 'Large' },
        ),
        actionSet([submit(t(locale, 'session.attendanceSave'), { verb: 'sessionAttendance', sessionId: session.id, ...(page.from ? { from: page.from } : {}) })]),
      );
    }
    body.push(
      { type: 'Input.Text', id: 'opbrengst', label: t(locale, 'session.opbrengstLabel'), isMultiline: true, maxLength: LIMITS.opbrengst, value: session.opbrengst, spacing: 'Large' },
      actionSet([submit(t(locale, 'session.opbrengstSave'), { verb: 'sessionOpbrengst', sessionId: session.id }, { style: 'positive' })]),
    );
  } else if (session.state !== 'geannuleerd') {
    body.push(textBlock(t(locale, 'session.attendanceLater'), { isSubtle: true, size: 'Small', spacing: 'Medium' }));
  }
  if (page.more) actions.push(submit(t(locale, 'session.morePeople'), { verb: 'sessionAttendees', sessionId: session.id, from: page.from + ATTENDEES_PER_PAGE }));
  if (options.csv) actions.push({ type: 'Action.OpenUrl', title: t(locale, 'session.csv', { minutes: options.csv.minutes }), url: options.csv.url });
  return card(body, actions);
}

export function noticeCard(locale: Locale, notice: SessionNotice, calendarUrl?: string): AdaptiveCard {
  const s = notice.session;
  const vars = { title: literal(quotable(s.title)), date: whenText(s, locale), location: literal(s.location) };
  const text = {
    promoted: t(locale, 'session.noticePromoted', vars),
    cancelled: t(locale, 'session.noticeCancelled', vars),
    moved: t(locale, 'session.noticeMoved', vars),
    reminder: t(locale, 'session.noticeReminder', vars),
    opbrengst: t(locale, 'session.noticeOpbrengst', vars),
  }[notice.kind];
  const body: CardElement[] = [textBlock(text, { weight: 'Bolder' })];
  if (notice.kind === 'opbrengst') body.push(textBlock(literal(s.opbrengst)));
  else if (notice.kind !== 'cancelled') body.push(textBlock(whenText(s, locale)), textBlock(t(locale, 'session.where', { location: literal(s.location) }), { spacing: 'None' }));
  const actions: CardElement[] = [];
  if (calendarUrl && (notice.kind === 'promoted' || notice.kind === 'moved' || notice.kind === 'reminder')) {
    actions.push({ type: 'Action.OpenUrl', title: t(locale, 'session.calendar'), url: calendarUrl });
  }
  actions.push(submit(t(locale, 'menu.mySessions'), { verb: 'command', command: 'mijn sessies' }));
  return card(body, actions);
}
