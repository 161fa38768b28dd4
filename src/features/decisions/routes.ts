// Commands, card actions and the download link of decisions and agreements: Teams (or a browser) in,
// DecisionService calls, cards out. Thin. Everything here is for the personal chat: agreements name people.
import type { Request, Response } from 'restify';
import type { Core, MemberTurn, Routes } from '../../capability';
import { tokenOf, type Links } from '../../core/links';
import { literal } from '../../cards/markdown';
import { NotFound } from '../../errors';
import { formatDate, type Locale } from '../../i18n';
import type { Member } from '../../identity';
import type { Outbox } from '../../proactive/outbox';
import { quotable } from '../../text';
import { cardActivity, isShared, replaceCard, sendCard } from '../../turn';
import { meetingIdSchema } from '../agenda';
import { actiesCard, changeCard, documentLinkCard, noticeCard, recordCard, type RecordView } from './cards';
import { besluitenlijst } from './document';
import { t } from './messages';
import { changeSubmitSchema, decisionRefSubmitSchema, doneSubmitSchema, listSubmitSchema, meetingRefSubmitSchema, recordSubmitSchema, type Decision } from './model';
import { NOTICE_KIND, isOverdue, type DecisionService, type NoticeKind } from './service';
import { z } from 'zod';

const DOCUMENT_PATH = '/decisions/besluitenlijst';
const DOCUMENT_PURPOSE = 'decisions-document';

/** Notices to owners are built when sent, in their language, from the agreement as it is then. */
export function registerNotices(outbox: Outbox, service: () => DecisionService): void {
  outbox.renderer(NOTICE_KIND, async ({ data, locale }) => {
    const kind = data.kind === 'reminder' ? 'reminder' : data.kind === 'made' ? 'made' : undefined;
    if (typeof data.id !== 'string' || !kind) return undefined;
    const decision = await service().forNotice(data.id, kind as NoticeKind);
    return decision ? cardActivity(noticeCard(locale, decision, kind, (id) => service().organisationName(id))) : undefined;
  });
}

/** The signed link to a meeting's besluitenlijst, with or without personal names, in a language. */
export function besluitenlijstLink(links: Links, meetingId: string, withNames: boolean, locale: Locale, minutes: number): string {
  return links.url(DOCUMENT_PATH, DOCUMENT_PURPOSE, { m: meetingId, n: withNames ? '1' : '0', l: locale }, minutes * 60_000);
}

const documentSubmitSchema = meetingRefSubmitSchema.extend({ anonymous: z.boolean() });

export function decisionRoutes(service: DecisionService, core: Core): Routes {
  const organisationName = (id: string) => service.organisationName(id);

  async function personalOnly(turn: MemberTurn): Promise<boolean> {
    if (!isShared(turn.context)) return false;
    await turn.context.sendActivity(t(turn.locale, 'decision.personalOnly'));
    return true;
  }

  async function recordView(member: Member, meetingId: string, extra: Partial<RecordView> = {}): Promise<RecordView | undefined> {
    const meeting = await service.meetingFor(member, meetingId || undefined);
    if (!meeting) return undefined;
    const [decisions, owners] = await Promise.all([service.ofMeeting(member, meeting.id), service.ownerChoices(member)]);
    return { meeting, decisions, owners, organisationName, ...extra };
  }

  async function listCard(turn: MemberTurn, by: 'mine' | 'meeting' | 'organisation', notice?: string) {
    const { member, locale } = turn;
    const today = service.today();
    const manage = member.role === 'secretariaat';
    const view = { today, organisationName, manage, ...(notice ? { notice } : {}) };
    if (by === 'mine' || !manage) {
      const mine = await service.mine(member);
      return actiesCard(locale, {
        ...view,
        title: t(locale, 'acties.mineTitle'),
        intro: t(locale, 'acties.mineIntro'),
        empty: t(locale, 'acties.mineEmpty'),
        groups: [
          { title: t(locale, 'acties.overdue'), items: mine.filter((d) => isOverdue(d, today)) },
          { title: t(locale, 'acties.open'), items: mine.filter((d) => !isOverdue(d, today)) },
        ],
      });
    }
    const all = await service.agreements(member);
    const overdue = all.filter((d) => isOverdue(d, today));
    const rest = all.filter((d) => !isOverdue(d, today)).sort((a, b) => (a.status === b.status ? 0 : a.status === 'open' ? -1 : 1));
    const groups: Array<{ title: string; items: Decision[] }> = [{ title: t(locale, 'acties.overdue'), items: overdue }];
    const keyOf = (d: Decision) => (by === 'meeting' ? d.meetingAt : d.ownerOrganisationId);
    const keys = [...new Set(rest.map(keyOf))].sort((a, b) => (by === 'meeting' ? b.localeCompare(a) : organisationName(a).localeCompare(organisationName(b), 'nl')));
    for (const key of keys) {
      groups.push({
        title: by === 'meeting' ? t(locale, 'acties.meetingGroup', { date: formatDate(new Date(key), locale) }) : organisationName(key),
        items: rest.filter((d) => keyOf(d) === key),
      });
    }
    return actiesCard(locale, { ...view, title: t(locale, 'acties.allTitle'), empty: t(locale, 'acties.allEmpty'), groups });
  }

  async function serveDocument(req: Request, res: Response): Promise<void> {
    const plain = (status: number, text: string) => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      res.end(text);
    };
    const checked = core.links.check(tokenOf(req.url), DOCUMENT_PURPOSE);
    const meetingId = checked.ok ? meetingIdSchema.safeParse(checked.data.m) : undefined;
    if (!checked.ok || !meetingId?.success) {
      const reason = checked.ok ? 'invalid' : checked.reason;
      core.log.info({ event: 'decisions.link.refused', reason }, 'link refused');
      return reason === 'expired'
        ? plain(410, 'Deze link is verlopen. Vraag in BO Wonen een nieuwe. / This link has expired.')
        : plain(404, 'Niet gevonden. / Not found.');
    }
    const withNames = checked.data.n === '1';
    const locale: Locale = checked.data.l === 'en' ? 'en' : 'nl';
    let body: Buffer;
    try {
      const { meeting, decisions } = await service.documentData(meetingId.data);
      body = await besluitenlijst({ meeting, decisions, organisationName, withNames, locale });
    } catch (err) {
      if (err instanceof NotFound) return plain(404, 'Niet gevonden. / Not found.');
      throw err;
    }
    res.writeHead(200, {
      'content-type': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'content-disposition': `attachment; filename="besluitenlijst-${meetingId.data}${withNames ? '' : '-zonder-namen'}.docx"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
    res.end(body);
  }

  return {
    // As before the core applied audiences: open, the service checks roles (a narrower declaration is for its owner).
    audience: { where: 'open' },
    menu: [
      { label: (l) => t(l, 'menu.acties'), command: 'acties', roles: ['wethouder', 'directeur-bestuurder', 'secretariaat'] },
      { label: (l) => t(l, 'menu.besluiten'), command: 'besluiten', roles: ['secretariaat'] },
    ],
    commands: [
      {
        words: ['besluiten', 'besluitenlijst'],
        handler: async (turn) => {
          if (await personalOnly(turn)) return;
          const id = meetingIdSchema.safeParse(turn.args.trim().toUpperCase());
          const view = await recordView(turn.member, id.success ? id.data : '');
          if (!view) return void (await turn.context.sendActivity(t(turn.locale, 'decision.noMeeting')));
          await sendCard(turn.context, recordCard(turn.locale, view));
        },
      },
      {
        words: ['acties', 'actielijst'],
        handler: async (turn) => {
          if (await personalOnly(turn)) return;
          await sendCard(turn.context, await listCard(turn, turn.member.role === 'secretariaat' ? 'meeting' : 'mine'));
        },
      },
    ],
    actions: [
      {
        verb: 'decisionRecord',
        handler: async (turn) => {
          const input = recordSubmitSchema.parse(turn.context.activity.value);
          if (await personalOnly(turn)) return;
          const values = { item: input.decisionItem, kind: input.decisionKind, text: input.decisionText, owner: input.decisionOwner, due: input.decisionDue };
          const result = await service.record(turn.member, input.meetingId, input.decisionItem, {
            kind: input.decisionKind,
            text: input.decisionText,
            owner: input.decisionOwner,
            dueDate: input.decisionDue,
          });
          if (result.status === 'invalid') {
            const view = await recordView(turn.member, input.meetingId, { problems: result.problems, values });
            return void (view && (await replaceCard(turn.context, recordCard(turn.locale, view))));
          }
          core.log.info({ event: 'decision.recorded', id: result.decision.id, kind: result.decision.kind }, 'decision recorded');
          const view = await recordView(turn.member, input.meetingId, { notice: t(turn.locale, 'decision.saved', { item: literal(quotable(result.decision.itemTitle || '—')) }) });
          if (view) await replaceCard(turn.context, recordCard(turn.locale, view));
        },
      },
      {
        verb: 'decisionDocument',
        handler: async (turn) => {
          const input = documentSubmitSchema.parse(turn.context.activity.value);
          if (await personalOnly(turn)) return;
          const meeting = await service.meetingFor(turn.member, input.meetingId);
          if (!meeting) throw new NotFound('No such meeting');
          const minutes = core.config.decisions.linkMinutes;
          const url = besluitenlijstLink(core.links, meeting.id, !input.anonymous, turn.locale, minutes);
          await sendCard(turn.context, documentLinkCard(turn.locale, meeting, url, input.anonymous, minutes));
        },
      },
      {
        verb: 'agreementList',
        handler: async (turn) => {
          const input = listSubmitSchema.parse(turn.context.activity.value);
          if (await personalOnly(turn)) return;
          await replaceCard(turn.context, await listCard(turn, input.by ?? 'mine'));
        },
      },
      {
        verb: 'agreementDone',
        handler: async (turn) => {
          const input = doneSubmitSchema.parse(turn.context.activity.value);
          if (await personalOnly(turn)) return;
          const raw = (input as Record<string, unknown>)[`note-${input.id}`];
          await service.done(turn.member, input.id, typeof raw === 'string' ? raw : '');
          await replaceCard(turn.context, await listCard(turn, turn.member.role === 'secretariaat' ? 'meeting' : 'mine', t(turn.locale, 'acties.markedDone')));
        },
      },
      {
        verb: 'agreementEdit',
        handler: async (turn) => {
          const input = decisionRefSubmitSchema.parse(turn.context.activity.value);
          if (await personalOnly(turn)) return;
          const owners = await service.ownerChoices(turn.member);
          const decision = await service.get(turn.member, input.id);
          await replaceCard(turn.context, changeCard(turn.locale, decision, owners, organisationName));
        },
      },
      {
        verb: 'agreementChange',
        handler: async (turn) => {
          const input = changeSubmitSchema.parse(turn.context.activity.value);
          if (await personalOnly(turn)) return;
          await service.change(turn.member, input.id, input.agreementOwner, input.agreementDue);
          await replaceCard(turn.context, await listCard(turn, 'meeting', t(turn.locale, 'acties.changed')));
        },
      },
    ],
    http: [{ method: 'get', path: DOCUMENT_PATH, handler: serveDocument }],
  };
}
