// Session commands, card actions and links: Teams (or a browser) in, SessionService calls, cards out. Thin.
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'restify';
import type { Core, MemberTurn, Routes } from '../../capability';
import type { AdaptiveCard } from '../../cards/adaptive';
import { NotFound } from '../../errors';
import { cardActivity, isShared, replaceCard, sendCard } from '../../turn';
import { literal } from '../../cards/markdown';
import { quotable } from '../../text';
import type { Outbox, OutboxMessage } from '../../proactive/outbox';
import type { PersonId } from '../../identity';
import { errorFields, type Logger } from '../../log';
import type { MemberService } from '../members';
import { attendeePage, attendeesCard, dayText, noticeCard, sessionFormCard, sessionListCard, valuesOf, type FormValues } from './cards';
import { attendeesCsv } from './csv';
import { personKeyOf } from './store';
import { sessionIcs } from './ics';
import { tokenOf } from '../../core/links';
import { refuse, t } from './messages';
import {
  attendanceSubmitSchema,
  LIMITS,
  opbrengstSubmitSchema,
  sessionFormSubmitSchema,
  sessionIdSchema,
  sessionRefSubmitSchema,
  type PersonRef,
} from './model';
import { MEMBER_ROLES, type Messenger, type SessionNotice, type SessionService, type SessionView } from './service';
import { z } from 'zod';

const CSV_LINK_MINUTES = 15;
const CALENDAR_PATH = '/sessions/calendar';
const EXPORT_PATH = '/sessions/export';
const PURPOSE = { ics: 'session-calendar', csv: 'session-export' } as const;

/** A signed link to a session's calendar file, or (for the secretariaat) its attendee export. */
export function sessionLink(core: Core, kind: 'ics' | 'csv', sessionId: string): string {
  const ttl = kind === 'ics' ? core.config.sessions.calendarLinkDays * 86_400_000 : CSV_LINK_MINUTES * 60_000;
  return core.links.url(kind === 'ics' ? CALENDAR_PATH : EXPORT_PATH, PURPOSE[kind], { s: sessionId }, ttl);
}

const SESSION_NOTICE = 'sessions.notice';
const NOTICE_KINDS = new Set<SessionNotice['kind']>(['promoted', 'cancelled', 'moved', 'reminder', 'opbrengst']);

/**
 * Every message sessions send on their own (promoted, moved, cancelled, reminder, opbrengst) goes through the
 * durable outbox: one row per event and person (so a reminder goes out once, whatever happens to the process
 * that claimed it), built at send time in the person's language from the session as it is then.
 */
export function sessionMessenger(outbox: Outbox, service: () => SessionService, calendarUrl: (sessionId: string) => string, log: Logger): Messenger {
  outbox.renderer(SESSION_NOTICE, async ({ data, locale }) => {
    const kind = data.kind as SessionNotice['kind'];
    if (typeof data.id !== 'string' || !NOTICE_KINDS.has(kind)) return undefined;
    try {
      const session = await service().get(data.id);
      return cardActivity(noticeCard(locale, { kind, session }, kind === 'cancelled' ? undefined : calendarUrl(session.id)));
    } catch {
      return undefined;
    }
  });
  const message = (to: PersonId, notice: SessionNotice): OutboxMessage => ({
    // A reminder is one per session start; other notices one per event.
    batch: `session-${notice.session.id}-${notice.kind}-${notice.kind === 'reminder' ? notice.session.startsAt : new Date().toISOString()}`.replace(/[^A-Za-z0-9_.:-]/g, '-'),
    recipient: { tenantId: to.tenantId, aadObjectId: to.aadObjectId },
    kind: SESSION_NOTICE,
    data: { id: notice.session.id, kind: notice.kind },
  });
  return {
    async once(to, notice) {
      return (await outbox.enqueue(message(to, notice))) === 'exists' ? 'exists' : 'queued';
    },
    later(to, notice) {
      return outbox.notify(message(to, notice), (err) => log.error({ event: 'sessions.noticeNotQueued', err: errorFields(err) }, 'session notice not queued'));
    },
  };
}

const fromSchema = z.number().int().min(0).max(100_000).optional();
const listSchema = z.object({ list: z.enum(['upcoming', 'mine', 'led']).optional(), from: fromSchema }).passthrough();

/**
 * In a group chat or channel, sessions (who leads them, where, who waits) are shown only when every person in it
 * is a member (Teams' roster); otherwise every session command and button there points to the personal chat.
 */
export function sessionRoutes(sessions: SessionService, members: MemberService, core: Core): Routes {
  const calendarUrl = (id: string) => sessionLink(core, 'ics', id);

  async function listCard(
    turn: MemberTurn,
    list: 'upcoming' | 'mine' | 'led',
    notice?: string,
    from?: number,
    answer?: { sessionId: string; text: string },
  ): Promise<AdaptiveCard> {
    const { member } = turn;
    let views: SessionView[] =
      list === 'led' ? await sessions.ledBy(member) : list === 'mine' ? await sessions.mine(member) : await sessions.upcoming(member);
    // In a group chat or channel everyone sees the card: leave out the asker's own place.
    if (isShared(turn.context)) views = views.map(({ mine: _mine, ...rest }) => rest);
    return sessionListCard(turn.locale, views, {
      list,
      ...(from ? { from } : {}),
      role: member.role,
      calendarUrl,
      ...(notice ? { notice } : {}),
      ...(answer ? { answer } : {}),
      manages: (s) => !isShared(turn.context) && sessions.isManager(member, s),
      administers: member.role === 'secretariaat' && !isShared(turn.context),
    });
  }

  async function showList(turn: MemberTurn, list: 'upcoming' | 'mine' | 'led'): Promise<void> {
    if (list === 'mine' && isShared(turn.context)) return void (await turn.context.sendActivity(t(turn.locale, 'session.personalOnly')));
    await sendCard(turn.context, await listCard(turn, list));
  }

  /**
   * After a button on a session of a list: the fresh list with the answer in that session's block, where the
   * button was (personal chat), or just the line (shared).
   */
  async function answerOnList(turn: MemberTurn, sessionId: string, text: string): Promise<void> {
    const { list, from } = listSchema.parse(turn.context.activity.value);
    if (isShared(turn.context)) return void (await turn.context.sendActivity(text));
    const fallback = turn.member.role === 'gespreksleider' ? 'led' : 'upcoming';
    await replaceCard(turn.context, await listCard(turn, list ?? fallback, undefined, from, { sessionId, text }));
  }

  async function personalOnly(turn: MemberTurn): Promise<boolean> {
    if (!isShared(turn.context)) return false;
    await turn.context.sendActivity(t(turn.locale, 'session.personalOnly'));
    return true;
  }

  async function facilitators(turn: MemberTurn): Promise<PersonRef[]> {
    return (await members.listMembers(turn.member))
      .filter((m) => m.role === 'gespreksleider')
      .map((m) => ({ tenantId: m.tenantId, aadObjectId: m.aadObjectId, name: m.name }));
  }

  async function attendeesFor(turn: MemberTurn, id: string, notice?: string, from?: number): Promise<AdaptiveCard> {
    const a = await sessions.attendees(turn.member, id);
    return attendeesCard(turn.locale, a, {
      ...(from ? { from } : {}),
      organisationName: (o) => members.organisationName(o),
      started: Date.parse(a.session.startsAt) <= Date.now(),
      ...(turn.member.role === 'secretariaat'
        ? { csv: { url: sessionLink(core, 'csv', id), minutes: CSV_LINK_MINUTES } }
        : {}),
      ...(notice ? { notice } : {}),
    });
  }

  async function save(turn: MemberTurn): Promise<void> {
    const { context, locale } = turn;
    const submitted = sessionFormSubmitSchema.parse(context.activity.value);
    if (await personalOnly(turn)) return;
    // Keep what was typed for the form shown again, but never more than a field may hold.
    const clip = (value: string, max: number) => value.slice(0, max);
    const values: FormValues = {
      series: clip(submitted.series, 40),
      title: submitted.title,
      description: submitted.description,
      date: clip(submitted.date, 20),
      startTime: clip(submitted.startTime, 10),
      endTime: clip(submitted.endTime, 10),
      deadlineDate: clip(submitted.deadlineDate, 20),
      location: submitted.location,
      hostOrganisation: submitted.hostOrganisation,
      facilitatorName: submitted.facilitatorName,
      facilitator: clip(submitted.facilitator === 'geen' ? '' : submitted.facilitator, 200),
      capacity: clip(submitted.capacity.trim(), 10),
      audience: clip(submitted.audience, 200),
    };
    const raw = {
      ...values,
      audience: values.audience.split(',').map((r) => r.trim()).filter(Boolean),
      capacity: values.capacity === '' ? undefined : values.capacity,
    };
    const result = submitted.editId
      ? await sessions.edit(turn.member, submitted.editId, raw)
      : await sessions.create(turn.member, raw, submitted.submissionId);
    if (result.status === 'invalid') {
      const shown: FormValues = {
        ...values,
        title: clip(values.title, LIMITS.title),
        description: clip(values.description, LIMITS.description),
        location: clip(values.location, LIMITS.location),
        hostOrganisation: clip(values.hostOrganisation, LIMITS.host),
        facilitatorName: clip(values.facilitatorName, LIMITS.facilitatorName),
      };
      return void (await replaceCard(
        context,
        sessionFormCard(locale, {
          submissionId: submitted.submissionId,
          values: shown,
          problems: result.problems,
          ...(result.confirmed !== undefined ? { confirmed: result.confirmed } : {}),
          ...(submitted.editId ? { editId: submitted.editId } : {}),
          facilitators: await facilitators(turn),
        }),
      ));
    }
    const s = result.session;
    const notice = submitted.editId
      ? t(locale, result.moved ? 'session.updatedMoved' : 'session.updated', { id: s.id })
      : t(locale, 'session.created', { id: s.id, title: literal(quotable(s.title)) });
    if (result.created) core.log.info({ event: 'session.created', id: s.id }, 'session created');
    await replaceCard(context, await listCard(turn, 'upcoming', notice));
  }

  async function serveLink(req: Request, res: Response, kind: 'ics' | 'csv'): Promise<void> {
    const checked = core.links.check(tokenOf(req.url), PURPOSE[kind]);
    const plain = (status: number, text: string) => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      res.end(text);
    };
    const sessionId = checked.ok ? sessionIdSchema.safeParse(checked.data.s) : undefined;
    if (!checked.ok || !sessionId?.success) {
      const reason = checked.ok ? 'invalid' : checked.reason;
      core.log.info({ event: 'session.link.refused', kind, reason }, 'link refused');
      return reason === 'expired'
        ? plain(410, 'Deze link is verlopen. Vraag in BO Wonen een nieuwe. / This link has expired.')
        : plain(404, 'Niet gevonden. / Not found.');
    }
    const checkedId = sessionId.data;
    let body: string;
    let type: string;
    let filename: string;
    try {
      if (kind === 'ics') {
        const session = await sessions.get(checkedId);
        body = sessionIcs(session, new Date());
        type = 'text/calendar; charset=utf-8';
        filename = `sessie-${session.id}.ics`;
      } else {
        const a = await sessions.attendeesForExport(checkedId);
        body = attendeesCsv(core.config.locale.force ?? core.config.locale.fallback, a, (o) => members.organisationName(o));
        type = 'text/csv; charset=utf-8';
        filename = `deelnemers-${a.session.id}.csv`;
      }
    } catch (err) {
      if (err instanceof NotFound) return plain(404, 'Niet gevonden. / Not found.');
      throw err;
    }
    res.writeHead(200, {
      'content-type': type,
      'content-disposition': `attachment; filename="${filename}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
    res.end(body);
  }

  return {
    // Who leads a session, where, who waits: in a shared chat only when everyone in it is a member.
    audience: { where: 'members' },
    refusals: { notEveryone: (locale) => t(locale, 'session.notEveryone') },
    menu: [
      // Everyone: members see the sessions to sign up for, a gespreksleider the sessions they lead.
      { label: (l) => t(l, 'menu.sessions'), command: 'sessies', group: 'meetings' },
      { label: (l) => t(l, 'menu.mySessions'), command: 'mijn sessies', roles: MEMBER_ROLES, group: 'meetings' },
    ],
    commands: [
      { words: ['sessies', 'sessie', 'sessions'], handler: (turn) => showList(turn, turn.member.role === 'gespreksleider' ? 'led' : 'upcoming') },
      {
        words: ['mijn sessies', 'my sessions'],
        handler: async (turn) => {
          if (!MEMBER_ROLES.includes(turn.member.role)) throw refuse.denied('role');
          await showList(turn, 'mine');
        },
      },
    ],
    actions: [
      {
        // "Meer sessies": the next page of the same list, in place of the card.
        verb: 'sessionList',
        handler: async (turn) => {
          const { list, from } = listSchema.parse(turn.context.activity.value);
          const fallback = turn.member.role === 'gespreksleider' ? 'led' : 'upcoming';
          if (list === 'mine' && (await personalOnly(turn))) return;
          await replaceCard(turn.context, await listCard(turn, list ?? fallback, undefined, from));
        },
      },
      {
        verb: 'sessionSignUp',
        handler: async (turn) => {
          // Only the session comes from the card: who signs up is always the person who pressed.
          const { sessionId } = sessionRefSubmitSchema.parse(turn.context.activity.value);
          const r = await sessions.signUp(turn.member, sessionId);
          const vars = { title: literal(quotable(r.session.title)), date: dayText(r.session.startsAt, turn.locale), position: r.position };
          const key =
            r.outcome === 'confirmed' ? (r.already ? 'session.alreadySignedUp' : 'session.signedUp') : r.already ? 'session.alreadyWaiting' : 'session.waitingListed';
          await answerOnList(turn, sessionId, t(turn.locale, key, vars));
        },
      },
      {
        verb: 'sessionCancelSignUp',
        handler: async (turn) => {
          const { sessionId } = sessionRefSubmitSchema.parse(turn.context.activity.value);
          const r = await sessions.cancelSignUp(turn.member, sessionId);
          const key = r.outcome === 'notRegistered' ? 'session.notRegistered' : r.was === 'bevestigd' ? 'session.cancelledSignUp' : 'session.leftWaitingList';
          await answerOnList(turn, sessionId, t(turn.locale, key, { title: literal(quotable(r.session.title)) }));
        },
      },
      {
        verb: 'sessionAttendees',
        handler: async (turn) => {
          const { sessionId, from } = sessionRefSubmitSchema.extend({ from: fromSchema }).parse(turn.context.activity.value);
          if (await personalOnly(turn)) return;
          await sendCard(turn.context, await attendeesFor(turn, sessionId, undefined, from));
        },
      },
      {
        verb: 'sessionNew',
        handler: async (turn) => {
          if (await personalOnly(turn)) return;
          if (turn.member.role !== 'secretariaat') return void (await turn.context.sendActivity(t(turn.locale, 'error.notAllowed')));
          await sendCard(turn.context, sessionFormCard(turn.locale, { submissionId: randomUUID(), facilitators: await facilitators(turn) }));
        },
      },
      {
        verb: 'sessionEdit',
        handler: async (turn) => {
          const { sessionId } = sessionRefSubmitSchema.parse(turn.context.activity.value);
          if (await personalOnly(turn)) return;
          if (turn.member.role !== 'secretariaat') return void (await turn.context.sendActivity(t(turn.locale, 'error.notAllowed')));
          const session = await sessions.get(sessionId);
          await sendCard(
            turn.context,
            sessionFormCard(turn.locale, { submissionId: randomUUID(), editId: session.id, values: valuesOf(session), facilitators: await facilitators(turn) }),
          );
        },
      },
      { verb: 'sessionSave', handler: save },
      {
        verb: 'sessionCancel',
        handler: async (turn) => {
          const { sessionId } = sessionRefSubmitSchema.parse(turn.context.activity.value);
          if (await personalOnly(turn)) return;
          const session = await sessions.cancelSession(turn.member, sessionId);
          await replaceCard(turn.context, await listCard(turn, 'upcoming', t(turn.locale, 'session.sessionCancelled', { id: session.id })));
        },
      },
      {
        verb: 'sessionSignUpState',
        handler: async (turn) => {
          const { sessionId, open } = sessionRefSubmitSchema.extend({ open: z.boolean() }).parse(turn.context.activity.value);
          if (await personalOnly(turn)) return;
          const session = await sessions.setSignUpOpen(turn.member, sessionId, open);
          await replaceCard(turn.context, await listCard(turn, 'upcoming', t(turn.locale, open ? 'session.reopened' : 'session.closed', { id: session.id })));
        },
      },
      {
        verb: 'sessionAttendance',
        handler: async (turn) => {
          const input = attendanceSubmitSchema.parse(turn.context.activity.value);
          if (await personalOnly(turn)) return;
          const keys = input.attended.split(',').map((k) => k.trim()).filter(Boolean).slice(0, LIMITS.capacity + 1);
          // The card held the people of one page: only they change.
          const page = attendeePage(await sessions.attendees(turn.member, input.sessionId), input.from ?? 0);
          const a = await sessions.setAttendance(turn.member, input.sessionId, keys, page.confirmed.map((r) => personKeyOf(r)));
          const count = a.confirmed.filter((r) => r.attended).length;
          await replaceCard(turn.context, await attendeesFor(turn, input.sessionId, t(turn.locale, 'session.attendanceSaved', { count }), input.from));
        },
      },
      {
        verb: 'sessionOpbrengst',
        handler: async (turn) => {
          const input = opbrengstSubmitSchema.parse(turn.context.activity.value);
          if (await personalOnly(turn)) return;
          await sessions.recordOpbrengst(turn.member, input.sessionId, input.opbrengst);
          await replaceCard(turn.context, await attendeesFor(turn, input.sessionId, t(turn.locale, 'session.opbrengstSaved')));
        },
      },
    ],
    http: [
      { method: 'get', path: CALENDAR_PATH, handler: (req, res) => serveLink(req, res, 'ics') },
      { method: 'get', path: EXPORT_PATH, handler: (req, res) => serveLink(req, res, 'csv') },
    ],
  };
}
