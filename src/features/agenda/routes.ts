// Agenda and digest commands and card actions: Teams in, AgendaService calls, cards out. Thin on purpose.
import type { CardAction, Core, MemberTurn, Routes } from '../../capability';
import type { AdaptiveCard } from '../../cards/adaptive';
import type { Locale } from '../../i18n';
import type { Member } from '../../identity';
import { cardActivity, isShared, replaceCard, sendCard } from '../../turn';
import { personKey } from '../../storage/keys';
import { fromLocal } from '../../time';
import type { MemberService } from '../members';
import { NotFound } from '../../errors';
import { agendaCard, agendaItemCard, digestCard, itemForm, reportCard, reportGoneCard } from './cards';
import { refuse, t } from './messages';
import { itemRefSchema, itemSubmitSchema, meetingRefSchema, moveSchema, newMeetingSchema, placeSchema } from './model';
import { BO_ROLES, digestBatch, DIGEST_CHANNEL_KIND, DIGEST_KIND, DIGEST_SLOT, DIGEST_JOB, requireBoRole, requireSecretariaat, type AgendaService } from './service';

/** The secretariaat's buttons work only in their personal chat. */
function requireManager(turn: MemberTurn): void {
  requireSecretariaat(turn.member);
  if (isShared(turn.context)) throw refuse.rule('personalOnly');
}

export function agendaRoutes(agenda: AgendaService, members: MemberService, core: Core): Routes {
  const { outbox } = core;
  /** The secretariaat's buttons, in their personal chat only. */
  const manage = {
    audience: { roles: ['secretariaat'], where: 'personal' },
    refusals: { role: (locale: Locale) => t(locale, 'agenda.secretariaatOnly') },
  } satisfies Pick<CardAction, 'audience' | 'refusals'>;

  outbox.renderer(DIGEST_KIND, async ({ data, recipient, locale }) => {
    if ('conversationId' in recipient) return undefined;
    const key = personKey(recipient.tenantId, recipient.aadObjectId);
    const member = await agenda.digestReader(recipient);
    // No longer a member, or said `digest uit` after the digest was prepared: nothing to send.
    if (!member || !BO_ROLES.includes(member.role) || (await agenda.recent.unsubscribed.get()).has(key)) return undefined;
    const since = new Date(String(data.since));
    const sections = await agenda.digestSections({ member, locale, shared: false }, since);
    return cardActivity(digestCard(locale, { since, meeting: await agenda.recent.meeting.get(), sections, subscribed: true }));
  });

  outbox.renderer(DIGEST_CHANNEL_KIND, async ({ data, locale }) => {
    // Read as anyone in a channel: nothing confidential, whoever is there.
    const reader: Member = { tenantId: '', aadObjectId: '', name: '', organisationId: '', role: 'wethouder', createdAt: '', updatedAt: '' };
    const since = new Date(String(data.since));
    const sections = await agenda.digestSections({ member: reader, locale, shared: true }, since);
    return cardActivity(digestCard(locale, { since, meeting: await agenda.recent.meeting.get(), sections }));
  });

  async function showAgenda(turn: MemberTurn, replace: boolean, notice?: string): Promise<void> {
    const meeting = await agenda.nextMeeting();
    const manage = turn.member.role === 'secretariaat' && !isShared(turn.context);
    const candidates = manage && meeting?.status === 'gepland' ? await agenda.candidates(turn.member, meeting) : [];
    const card = agendaCard(turn.locale, { meeting, secretariaat: turn.member.role === 'secretariaat', manage, candidates, ...(notice ? { notice } : {}) });
    await (replace ? replaceCard(turn.context, card) : sendCard(turn.context, card));
  }

  async function showDigest(turn: MemberTurn): Promise<void> {
    const shared = isShared(turn.context);
    // Three independent reads at once: the digest's contents, the person's choice and the next meeting.
    const [{ since, sections }, subscribed, meeting] = await Promise.all([
      agenda.digestSince(new Date()).then(async (from) => ({
        since: from,
        sections: await agenda.digestSections({ member: turn.member, locale: turn.locale, shared }, from),
      })),
      shared ? undefined : agenda.isSubscribed(turn.member),
      agenda.nextMeeting(),
    ]);
    await sendCard(turn.context, digestCard(turn.locale, { since, meeting, sections, ...(subscribed === undefined ? {} : { subscribed }) }));
  }

  async function showReport(turn: MemberTurn, replace: boolean, notice?: string): Promise<void> {
    const card = await report(turn, notice);
    await (replace ? replaceCard(turn.context, card) : sendCard(turn.context, card));
  }

  /** The delivery report of the latest digest, counted now. */
  async function report(turn: MemberTurn, notice?: string): Promise<AdaptiveCard> {
    requireManager(turn);
    const [moment] = await agenda.digestMoments(1);
    const report = moment ? await outbox.report(digestBatch(moment.toISOString())) : undefined;
    let names: string[] = [];
    if (report?.unreachablePeople.length) {
      const all = await members.listMembers(turn.member);
      const byKey = new Map(all.map((m) => [`${m.tenantId}|${m.aadObjectId}`, m.name]));
      names = report.unreachablePeople.map((p) => byKey.get(`${p.tenantId}|${p.aadObjectId}`) ?? '?');
    }
    return reportCard(turn.locale, moment, report, names, notice);
  }

  return {
    audience: { roles: BO_ROLES, where: 'open' },
    refusals: { role: (locale) => t(locale, 'agenda.notForRole'), personalOnly: (locale) => t(locale, 'agenda.personalOnly') },
    menu: [
      { label: (locale) => t(locale, 'menu.agenda'), command: 'agenda', roles: BO_ROLES, group: 'meetings' },
      { label: (locale) => t(locale, 'menu.digest'), command: 'digest', roles: BO_ROLES, group: 'meetings' },
    ],
    commands: [
      {
        words: ['agenda'],
        handler: async (turn) => {
          requireBoRole(turn.member);
          await showAgenda(turn, false);
        },
      },
      {
        words: ['digest'],
        async handler(turn) {
          requireBoRole(turn.member);
          const word = turn.args.trim().toLowerCase();
          if (word === 'aan' || word === 'on') {
            await agenda.setSubscribed(turn.member, true);
            return void (await turn.context.sendActivity(t(turn.locale, 'digest.on')));
          }
          if (word === 'uit' || word === 'off') {
            await agenda.setSubscribed(turn.member, false);
            return void (await turn.context.sendActivity(t(turn.locale, 'digest.off')));
          }
          if (word === 'rapport' || word === 'report') return showReport(turn, false);
          if (word === 'versturen' || word === 'send') {
            requireManager(turn);
            // Through the same door as the schedule: one digest per moment, however often it is pressed.
            const moment = new Date(Math.floor(Date.now() / 60_000) * 60_000);
            await core.scheduler.fire({ slot: DIGEST_SLOT, job: DIGEST_JOB, next: async () => undefined }, moment);
            return showReport(turn, false);
          }
          return showDigest(turn);
        },
      },
    ],
    actions: [
      {
        // One item whole; for the secretariaat in their personal chat with its edit form ("Bewerken").
        verb: 'agendaItem',
        async handler(turn) {
          requireBoRole(turn.member);
          const input = itemRefSchema.parse(turn.context.activity.value);
          const meeting = await agenda.meeting(input.meetingId);
          const item = meeting.items.find((i) => i.id === input.itemId);
          if (!item) throw new NotFound('No such agenda item');
          const manage = turn.member.role === 'secretariaat' && !isShared(turn.context);
          await sendCard(turn.context, agendaItemCard(turn.locale, { meeting, item, manage }));
        },
      },
      {
        verb: 'agendaSaveItem',
        ...manage,
        async handler(turn) {
          requireManager(turn);
          const input = itemSubmitSchema.parse(turn.context.activity.value);
          const raw = {
            type: input.type,
            title: input.title.slice(0, 2000),
            summary: input.summary.slice(0, 5000),
            submittedBy: input.submittedBy.slice(0, 2000),
            links: input.links.split(/\s+/).map((l) => l.trim()).filter(Boolean).slice(0, 20),
          };
          const result = await agenda.saveItem(turn.member, input.meetingId, input.itemId, raw);
          if (result.status === 'invalid') {
            const meeting = await agenda.meeting(input.meetingId);
            const item = meeting.items.find((i) => i.id === input.itemId);
            const values = { type: input.type.slice(0, 30), title: raw.title.slice(0, 300), summary: raw.summary.slice(0, 1200), submittedBy: raw.submittedBy.slice(0, 200), links: input.links.slice(0, 3000) };
            return sendCard(turn.context, itemForm(turn.locale, input.meetingId, item, { values, problems: result.problems }));
          }
          await showAgenda(turn, true, t(turn.locale, 'agenda.saved'));
        },
      },
      {
        verb: 'agendaMoveItem',
        ...manage,
        async handler(turn) {
          requireManager(turn);
          const input = moveSchema.parse(turn.context.activity.value);
          await agenda.moveItem(turn.member, input.meetingId, input.itemId, input.direction);
          await showAgenda(turn, true);
        },
      },
      {
        verb: 'agendaRemoveItem',
        ...manage,
        async handler(turn) {
          requireManager(turn);
          const input = itemRefSchema.parse(turn.context.activity.value);
          await agenda.removeItem(turn.member, input.meetingId, input.itemId);
          await showAgenda(turn, true, t(turn.locale, 'agenda.removed'));
        },
      },
      {
        verb: 'agendaFix',
        ...manage,
        async handler(turn) {
          requireManager(turn);
          const input = meetingRefSchema.parse(turn.context.activity.value);
          await agenda.fix(turn.member, input.meetingId);
          await showAgenda(turn, true, t(turn.locale, 'agenda.fixed'));
        },
      },
      {
        verb: 'agendaPlace',
        ...manage,
        async handler(turn) {
          requireManager(turn);
          const input = placeSchema.parse(turn.context.activity.value);
          await agenda.place(turn.member, input.meetingId, input.capability, input.ref, input.itemType);
          await showAgenda(turn, true, t(turn.locale, 'agenda.placed', { ref: input.ref }));
        },
      },
      {
        verb: 'agendaNewMeeting',
        ...manage,
        async handler(turn) {
          requireManager(turn);
          const input = newMeetingSchema.parse(turn.context.activity.value);
          const startsAt = fromLocal(input.meetingDate, input.meetingTime);
          if (!startsAt) throw refuse.rule('badMeeting');
          await agenda.createMeeting(turn.member, startsAt, input.meetingPlace);
          await showAgenda(turn, true);
        },
      },
      {
        // After vaststellen: the digest with the fixed agenda, once (see AgendaService.sendDigestForFixedAgenda).
        verb: 'agendaSendDigest',
        ...manage,
        async handler(turn) {
          requireManager(turn);
          const input = meetingRefSchema.parse(turn.context.activity.value);
          const queued = await agenda.sendDigestForFixedAgenda(turn.member, input.meetingId);
          await showReport(turn, true, t(turn.locale, queued ? 'agenda.digestQueued' : 'agenda.digestAlreadySent'));
        },
      },
      { verb: 'digestReport', ...manage, handler: (turn) => showReport(turn, true) },
    ],
    executes: [
      // Teams asks by itself when the report is shown again: the counts keep up without "Vernieuwen".
      { verb: 'digestReportRefresh', ...manage, isRefresh: true, handler: (turn) => report(turn), gone: (locale) => reportGoneCard(locale) },
    ],
  };
}
