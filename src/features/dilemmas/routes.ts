// Dilemma commands and card actions: Teams in, DilemmaService calls, cards out. Thin on purpose.
import { randomUUID } from 'node:crypto';
import type { Core, MemberTurn, Routes } from '../../capability';
import type { Locale } from '../../i18n';
import { z } from 'zod';
import { samePerson } from '../../identity';
import { personKey } from '../../storage/keys';
import { cardActivity, isShared, replaceCard, sendCard } from '../../turn';
import type { AdaptiveCard } from '../../cards/adaptive';
import type { Outbox } from '../../proactive/outbox';
import type { Logger } from '../../log';
import { errorFields } from '../../log';
import type { MemberService } from '../members';
import { t } from './messages';
import {
  authorNoticeCard,
  dilemmaDetailCard,
  dilemmaFormCard,
  dilemmaListCard,
  dilemmaSavedCard,
  dilemmaGoneCard,
  dilemmaResponsesCard,
  recognitionNotice,
  statusLabel,
  type DilemmaFormOptions,
  type DilemmaFormValues,
} from './cards';
import {
  ANY,
  dilemmaFormSubmitSchema,
  dilemmaIdSchema,
  idSubmitSchema,
  LIMITS,
  listSubmitSchema,
  OTHER_PLAN,
  PLAN_DATASET,
  recogniseSubmitSchema,
  REGION_WIDE,
  responseSubmitSchema,
  responsesSubmitSchema,
  statusSchema,
  statusSubmitSchema,
  type Dilemma,
  type DilemmaField,
  type DilemmaResponse,
  type ListFilter,
} from './model';
import { DILEMMA_ROLES, mayUseDilemmas, type AuthorNotice, type DilemmaService, type Notifier, type Viewer } from './service';

function viewerOf(turn: MemberTurn): Viewer {
  return { member: turn.member, shared: isShared(turn.context) };
}

const AUTHOR_NOTICE = 'dilemmas.authorNotice';
const noticeActorSchema = z.object({ tenantId: z.string(), aadObjectId: z.string() });
const noticeWhat = new Set<AuthorNotice>(['response', 'status', 'outcome']);

/**
 * Tells authors about responses and status changes in their personal chat, through the outbox (it survives
 * a restart). The row holds the dilemma's id and what happened; the card is built when it is sent, and only
 * if the author may still see the dilemma then.
 */
export function dilemmaNotifier(outbox: Outbox, members: MemberService, service: () => DilemmaService, log: Logger): Notifier {
  outbox.renderer(AUTHOR_NOTICE, async ({ data, recipient, locale }) => {
    if ('conversationId' in recipient || typeof data.id !== 'string' || !noticeWhat.has(data.what as AuthorNotice)) return undefined;
    const member = await members.resolve({ ...recipient, name: '' });
    if (!member) return undefined;
    try {
      const { dilemma, responses } = await service().get({ member, shared: false }, data.id);
      const at = typeof data.at === 'string' && !Number.isNaN(Date.parse(data.at)) ? new Date(data.at) : new Date();
      // Who did it, by name as it is now (someone erased since is not named); the row holds only their id.
      const by = noticeActorSchema.safeParse({ tenantId: data.byTenantId, aadObjectId: data.byAadObjectId });
      const actor = by.success ? await members.resolve({ ...by.data, name: '' }) : undefined;
      const response = typeof data.response === 'number' ? responses[data.response - 1] : undefined;
      return cardActivity(
        authorNoticeCard(locale, dilemma, data.what as AuthorNotice, at, actor && {
          name: actor.name,
          organisation: members.organisationName(actor.organisationId),
          wantsToTalk: Boolean(response && samePerson(response.author, actor) && response.wantsToTalk),
        }),
      );
    } catch {
      return undefined;
    }
  });
  return {
    authorNotice(dilemma, what, by) {
      // One notice per event: the batch names the dilemma, what happened and when.
      const event = what === 'response' ? `r${dilemma.responseCount}` : `${dilemma.status}-${dilemma.updatedAt}`;
      return outbox.notify(
        {
          batch: `dilemma-${dilemma.id}-${what}-${event}`.replace(/[^A-Za-z0-9_.:-]/g, '-'),
          recipient: { tenantId: dilemma.author.tenantId, aadObjectId: dilemma.author.aadObjectId },
          kind: AUTHOR_NOTICE,
          data: {
            id: dilemma.id,
            what,
            at: new Date().toISOString(),
            byTenantId: by.tenantId,
            byAadObjectId: by.aadObjectId,
            ...(what === 'response' ? { response: dilemma.responseCount } : {}),
          },
        },
        (err) => log.error({ event: 'dilemma.noticeNotQueued', err: errorFields(err) }, 'author notice not queued'),
      );
    },
  };
}

export function dilemmaRoutes(dilemmas: DilemmaService, members: MemberService, core: Core): Routes {
  const municipalities = () => members.listOrganisations().filter((o) => o.kind === 'gemeente');
  const organisationName = (id: string) => members.organisationName(id);

  function detail(
    turn: MemberTurn,
    dilemma: Dilemma,
    responses: DilemmaResponse[],
    extra: { notice?: string; draftResponse?: string } = {},
  ): AdaptiveCard {
    const extraAction = dilemmas.extensions.detailAction?.(viewerOf(turn), dilemma, turn.locale);
    return dilemmaDetailCard(turn.locale, {
      dilemma,
      responses,
      recognised: dilemma.recognisedBy.includes(personKey(turn.member.tenantId, turn.member.aadObjectId)),
      isAuthor: dilemmas.isAuthor(turn.member, dilemma),
      isSecretariaat: turn.member.role === 'secretariaat',
      shared: isShared(turn.context),
      organisationName,
      municipalities: municipalities(),
      responseSubmissionId: randomUUID(),
      ...planOf(dilemma),
      ...(extraAction ? { extraAction } : {}),
      ...extra,
    });
  }

  async function openDetail(turn: MemberTurn, id: string, notice?: string): Promise<AdaptiveCard> {
    const { dilemma, responses } = await dilemmas.view(viewerOf(turn), id);
    return detail(turn, dilemma, responses, notice ? { notice } : {});
  }

  /** The few plans a form or list offers by itself (the chosen ones among them), when there is a plan list. */
  function planList(...chosen: Array<string | undefined>): { plans?: Array<{ id: string; name: string }> } {
    const list = dilemmas.planFallback(chosen.filter((id): id is string => Boolean(id)));
    return list ? { plans: list } : {};
  }

  /** The dilemma's plan, for its name on a card. */
  function planOf(dilemma: Dilemma): { plans?: Array<{ id: string; name: string }> } {
    const plan = dilemmas.planNamed(dilemma.relatedPlanId);
    return plan ? { plans: [plan] } : {};
  }

  function form(locale: Locale, values?: DilemmaFormValues, editId?: string): AdaptiveCard {
    return dilemmaFormCard(locale, {
      submissionId: randomUUID(),
      municipalities: municipalities(),
      ...planList(values?.relatedPlanId),
      ...(values ? { values } : {}),
      ...(editId ? { editId } : {}),
    });
  }

  async function showForm(turn: MemberTurn): Promise<void> {
    if (!mayUseDilemmas(turn.member)) return void (await turn.context.sendActivity(t(turn.locale, 'dilemma.notForRole')));
    if (isShared(turn.context)) return void (await turn.context.sendActivity(t(turn.locale, 'dilemma.personalOnly')));
    await sendCard(turn.context, form(turn.locale));
  }

  async function showList(turn: MemberTurn, filter: ListFilter, after: string | undefined, replace: boolean): Promise<void> {
    const page = await dilemmas.list(viewerOf(turn), filter, after);
    const card = dilemmaListCard(turn.locale, {
      dilemmas: page.items,
      ...(page.next ? { next: page.next } : {}),
      capped: page.capped,
      continued: Boolean(after),
      filter,
      organisationName,
      municipalities: municipalities(),
      ...planList(filter.plan),
    });
    await (replace ? replaceCard(turn.context, card) : sendCard(turn.context, card));
  }

  async function save(turn: MemberTurn): Promise<void> {
    const { context, locale } = turn;
    const submitted = dilemmaFormSubmitSchema.parse(context.activity.value);
    if (isShared(context)) return void (await context.sendActivity(t(locale, 'dilemma.personalOnly')));
    // Keep what was typed, but never echo more than a field may hold: a card has a size limit too.
    const problems: Partial<Record<DilemmaField, 'truncated'>> = {};
    const clip = (field: 'title' | 'description' | 'relatedPlan') => {
      const value = submitted[field];
      if (value.length <= LIMITS[field]) return value;
      problems[field] = 'truncated';
      return value.slice(0, LIMITS[field]);
    };
    const values: DilemmaFormValues = {
      title: clip('title'),
      description: clip('description'),
      relatedPlan: clip('relatedPlan'),
      // One more than a plan id may have, so an overlong one is refused rather than cut to another id.
      relatedPlanId: submitted.relatedPlanId.slice(0, LIMITS.relatedPlanId + 1),
      theme: submitted.theme.slice(0, 60),
      municipalities: submitted.municipalities.slice(0, 500),
      visibility: submitted.visibility.slice(0, 20),
      wantsAgenda: submitted.wantsAgenda === 'true' ? 'true' : 'false',
    };
    const again = (p: DilemmaFormOptions['problems']) =>
      replaceCard(
        context,
        dilemmaFormCard(locale, {
          submissionId: submitted.submissionId,
          municipalities: municipalities(),
          ...planList(values.relatedPlanId),
          values,
          ...(p ? { problems: p } : {}),
          ...(submitted.editId ? { editId: submitted.editId } : {}),
        }),
      );
    if (Object.keys(problems).length) return void (await again(problems));

    const raw = {
      title: values.title,
      description: values.description,
      theme: values.theme,
      municipalities: (values.municipalities ?? '').split(',').map((m) => m.trim()).filter(Boolean),
      relatedPlan: values.relatedPlan,
      relatedPlanId: values.relatedPlanId === OTHER_PLAN ? '' : (values.relatedPlanId ?? ''),
      visibility: values.visibility,
      wantsAgenda: values.wantsAgenda === 'true',
    };
    const { beforeCreate, afterCreate } = dilemmas.extensions;
    if (!submitted.editId && beforeCreate && submitted.similarChecked !== 'true') {
      // A new dilemma is first held against what this person may already see (the form's values ride along).
      const checked = dilemmas.validate(raw);
      if (!checked.ok) return void (await again(checked.problems));
      const first = await beforeCreate(viewerOf(turn), checked.input, { ...values, submissionId: submitted.submissionId }, locale);
      if (first) return void (await replaceCard(context, first));
    }
    const result = submitted.editId
      ? await dilemmas.edit(turn.member, submitted.editId, raw)
      : await dilemmas.create(turn.member, raw, submitted.submissionId);
    if (result.status === 'invalid') return void (await again(result.problems));
    if (result.status === 'busy') return void (await context.sendActivity(t(locale, 'dilemma.busy')));
    const chosen = raw.municipalities;
    const dropped = chosen.includes(REGION_WIDE) ? [...new Set(chosen.filter((m) => m !== REGION_WIDE))] : [];
    await replaceCard(context, dilemmaSavedCard(locale, result.dilemma, !submitted.editId, municipalities(), planOf(result.dilemma).plans, dropped));
    if (result.created) core.log.info({ event: 'dilemma.created', id: result.dilemma.id }, 'dilemma logged');
    if (result.created && afterCreate) {
      const next = await afterCreate(viewerOf(turn), result.dilemma, locale);
      if (next) await sendCard(context, next);
    }
  }

  async function recognise(turn: MemberTurn, id: string, want: boolean): Promise<AdaptiveCard> {
    const dilemma = await dilemmas.setRecognition(viewerOf(turn), id, want);
    const { responses } = await dilemmas.view(viewerOf(turn), id);
    const notice = recognitionNotice(turn.locale, want, dilemma.recognisedBy.length);
    return detail(turn, dilemma, responses, { notice });
  }

  // In a group chat or channel, dilemmas show only when everyone in it may read them (Teams' roster).
  return {
    audience: { roles: DILEMMA_ROLES, where: 'members' },
    refusals: { role: (locale) => t(locale, 'dilemma.notForRole'), notEveryone: (locale) => t(locale, 'dilemma.notEveryone') },
    menu: [
      { label: (locale) => t(locale, 'menu.dilemmaNew'), command: 'dilemma', roles: DILEMMA_ROLES, group: 'dilemmas' },
      { label: (locale) => t(locale, 'menu.dilemmaList'), command: "dilemma's", roles: DILEMMA_ROLES, group: 'dilemmas' },
    ],
    commands: [
      {
        words: ['dilemma'],
        handler: async (turn) => {
          const id = turn.args.trim().toUpperCase();
          if (!id) return showForm(turn);
          if (dilemmaIdSchema.safeParse(id).success) return sendCard(turn.context, await openDetail(turn, id));
          // "dilemma woningbouw" reads as a search.
          return showList(turn, { words: turn.args.slice(0, LIMITS.search) }, undefined, false);
        },
      },
      {
        words: ["dilemma's", 'dilemmas'],
        handler: (turn) => showList(turn, turn.args ? { words: turn.args.slice(0, LIMITS.search) } : {}, undefined, false),
      },
    ],
    actions: [
      { verb: 'dilemmaSave', handler: save },

      {
        verb: 'dilemmaOpen',
        handler: async (turn) => sendCard(turn.context, await openDetail(turn, idSubmitSchema.parse(turn.context.activity.value).id)),
      },

      {
        verb: 'dilemmaResponses',
        handler: async (turn) => {
          const { id, from } = responsesSubmitSchema.parse(turn.context.activity.value);
          const { dilemma, responses } = await dilemmas.view(viewerOf(turn), id);
          await sendCard(turn.context, dilemmaResponsesCard(turn.locale, { dilemma, responses, from, organisationName }));
        },
      },

      {
        verb: 'dilemmaList',
        handler: async (turn) => {
          const input = listSubmitSchema.parse(turn.context.activity.value);
          const chosen = (value: string | undefined) => (value && value !== ANY ? value : undefined);
          const status = chosen(input.status) ? statusSchema.parse(input.status) : undefined;
          const theme = chosen(input.theme);
          const municipality = chosen(input.municipality);
          const plan = chosen(input.plan);
          const filter: ListFilter = {
            ...(theme ? { theme } : {}),
            ...(municipality ? { municipality } : {}),
            ...(status ? { status } : {}),
            ...(plan ? { plan } : {}),
            ...(input.words?.trim() ? { words: input.words.trim() } : {}),
          };
          await showList(turn, filter, input.after, true);
        },
      },

      // The fallback for clients without Universal Actions. In a shared chat the card is everyone's:
      // answer with a line instead of rewriting it for all.
      { verb: 'dilemmaRecognise', handler: async (turn) => {
          const input = recogniseSubmitSchema.parse(turn.context.activity.value);
          if (isShared(turn.context)) {
            const dilemma = await dilemmas.setRecognition(viewerOf(turn), input.id, input.recognise ?? true);
            const notice = recognitionNotice(turn.locale, input.recognise !== false, dilemma.recognisedBy.length);
            return void (await turn.context.sendActivity(notice));
          }
          await replaceCard(turn.context, await recognise(turn, input.id, input.recognise ?? true));
        },
      },

      { verb: 'dilemmaRespond', handler: async (turn) => {
          const input = responseSubmitSchema.parse(turn.context.activity.value);
          if (input.responseText.trim().length > LIMITS.response) {
            // Too long: the detail comes back with the text in the box, so it can be shortened.
            const { dilemma, responses } = await dilemmas.view(viewerOf(turn), input.id);
            const notice = t(turn.locale, 'dilemma.responseTooLong', { max: LIMITS.response });
            return sendCard(turn.context, detail(turn, dilemma, responses, { notice, draftResponse: input.responseText.slice(0, LIMITS.response) }));
          }
          const { outcome } = await dilemmas.respond(viewerOf(turn), input.id, {
            text: input.responseText,
            wantsToTalk: input.wantsToTalk,
            submissionId: input.submissionId,
          });
          if (outcome === 'busy') return void (await turn.context.sendActivity(t(turn.locale, 'dilemma.responseBusy')));
          await replaceCard(turn.context, await openDetail(turn, input.id, t(turn.locale, 'dilemma.responded', { id: input.id })));
        },
      },

      { verb: 'dilemmaEdit', handler: async (turn) => {
          const { id } = idSubmitSchema.parse(turn.context.activity.value);
          if (isShared(turn.context)) return void (await turn.context.sendActivity(t(turn.locale, 'dilemma.personalOnly')));
          const dilemma = await dilemmas.forEdit(viewerOf(turn), id);
          const values: DilemmaFormValues = {
            title: dilemma.title,
            description: dilemma.description,
            theme: dilemma.theme,
            municipalities: dilemma.municipalities.join(','),
            relatedPlan: dilemma.relatedPlan,
            relatedPlanId: dilemma.relatedPlanId,
            visibility: dilemma.visibility,
            wantsAgenda: dilemma.wantsAgenda ? 'true' : 'false',
          };
          await sendCard(turn.context, form(turn.locale, values, dilemma.id));
        },
      },

      { verb: 'dilemmaWithdraw', handler: async (turn) => {
          const { id } = idSubmitSchema.parse(turn.context.activity.value);
          await dilemmas.withdraw(viewerOf(turn), id);
          await replaceCard(turn.context, await openDetail(turn, id, t(turn.locale, 'dilemma.withdrawn', { id })));
        },
      },

      { verb: 'dilemmaStatus', handler: async (turn) => {
          const input = statusSubmitSchema.parse(turn.context.activity.value);
          const updated = await dilemmas.setStatus(viewerOf(turn), input.id, input.status, input.outcome);
          const notice = t(turn.locale, 'dilemma.statusChanged', { id: updated.id, status: statusLabel(turn.locale, updated.status) });
          await replaceCard(turn.context, await openDetail(turn, input.id, notice));
        },
      },
    ],
    // The plan choice in the form and the list filter: Teams asks while one types.
    searches: [
      {
        dataset: PLAN_DATASET,
        handler: async (turn, query) =>
          mayUseDilemmas(turn.member) ? dilemmas.searchPlans(query.text, query.skip, query.top).map((p) => ({ title: p.name, value: p.id })) : [],
      },
    ],
    // Answered through the invoke response only: Teams also sends these by itself (a card's refresh).
    executes: [
      {
        verb: 'dilemmaRecognise',
        handler: async (turn) => {
          const data = recogniseSubmitSchema.parse(executeData(turn));
          return recognise(turn, data.id, data.recognise ?? true);
        },
        gone: (locale) => dilemmaGoneCard(locale),
      },
      {
        verb: 'dilemmaRefresh',
        isRefresh: true,
        handler: async (turn) => openDetail(turn, recogniseSubmitSchema.parse(executeData(turn)).id),
        gone: (locale) => dilemmaGoneCard(locale),
      },
    ],
  };
}

/** The data of an Action.Execute (teams-ai puts it under value.action.data). */
function executeData(turn: MemberTurn): unknown {
  return (turn.context.activity.value as { action?: { data?: unknown } } | undefined)?.action?.data ?? {};
}
