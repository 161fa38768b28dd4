// Dilemma commands and card actions: Teams in, DilemmaService calls, cards out. Thin on purpose.
import { randomUUID } from 'node:crypto';
import type { TurnContext } from 'botbuilder';
import { t, type Locale } from '../../i18n';
import { personKey } from '../../storage/keys';
import { cardActivity, knownErrorMessage, replaceCard, sendCard } from '../../turn';
import type { AdaptiveCard } from '../../cards/adaptive';
import { errorFields, type Logger } from '../../log';
import type { ProactiveSender } from '../../proactive/sender';
import type { MemberRouteWrapper } from '../members/routes';
import type { BotApp, Feature, MemberTurn, Services } from '../types';
import {
  authorNoticeCard,
  dilemmaDetailCard,
  dilemmaFormCard,
  dilemmaListCard,
  dilemmaSavedCard,
  PAGE_SIZE,
  statusLabel,
  type DilemmaFormValues,
} from './cards';
import {
  ANY,
  dilemmaFormSubmitSchema,
  dilemmaIdSchema,
  idSubmitSchema,
  LIMITS,
  listSubmitSchema,
  responseSubmitSchema,
  statusSchema,
  statusSubmitSchema,
  type Dilemma,
  type DilemmaField,
  type ListFilter,
} from './model';
import type { Notifier, Viewer } from './service';

const DILEMMA_ROLES = ['wethouder', 'directeur-bestuurder', 'secretariaat'] as const;

/** Tells authors about responses and status changes in their personal chat; a failed send never undoes the change. */
export function dilemmaNotifier(sender: ProactiveSender, log: Logger): Notifier {
  return {
    async authorNotice(dilemma, what) {
      try {
        await sender.sendToPerson(dilemma.author.tenantId, dilemma.author.aadObjectId, (locale) =>
          cardActivity(authorNoticeCard(locale, dilemma, what)),
        );
      } catch (err) {
        log.error({ event: 'dilemma.noticeFailed', what, err: errorFields(err) }, 'could not tell the author');
      }
    },
  };
}

function isShared(context: TurnContext): boolean {
  return (context.activity.conversation?.conversationType ?? 'personal') !== 'personal';
}

function viewerOf(turn: MemberTurn): Viewer {
  return { member: turn.member, shared: isShared(turn.context) };
}

export function dilemmasFeature(services: Services, memberTurn: MemberRouteWrapper): Feature {
  const { dilemmas, members } = services;
  const municipalities = () => members.listOrganisations().filter((o) => o.kind === 'gemeente');
  const organisationName = (id: string) => members.organisationName(id);

  function detail(turn: MemberTurn, dilemma: Dilemma, responses: Awaited<ReturnType<typeof dilemmas.get>>['responses'], extra: { notice?: string; draftResponse?: string } = {}): AdaptiveCard {
    const shared = isShared(turn.context);
    return dilemmaDetailCard(turn.locale, {
      dilemma,
      responses,
      recognised: dilemma.recognisedBy.includes(personKey(turn.member.tenantId, turn.member.aadObjectId)),
      isAuthor: dilemmas.isAuthor(turn.member, dilemma),
      isSecretariaat: turn.member.role === 'secretariaat',
      shared,
      organisationName,
      municipalities: municipalities(),
      ...extra,
    });
  }

  async function openDetail(turn: MemberTurn, id: string, notice?: string): Promise<AdaptiveCard> {
    const { dilemma, responses } = await dilemmas.get(viewerOf(turn), id);
    return detail(turn, dilemma, responses, notice ? { notice } : {});
  }

  function form(locale: Locale, values?: DilemmaFormValues, problems?: Partial<Record<DilemmaField, never>>, editId?: string): AdaptiveCard {
    return dilemmaFormCard(locale, {
      submissionId: randomUUID(),
      municipalities: municipalities(),
      ...(values ? { values } : {}),
      ...(problems ? { problems } : {}),
      ...(editId ? { editId } : {}),
    });
  }

  async function showForm(turn: MemberTurn): Promise<void> {
    if (turn.member.role === 'gespreksleider') return void (await turn.context.sendActivity(t(turn.locale, 'dilemma.notForRole')));
    if (isShared(turn.context)) return void (await turn.context.sendActivity(t(turn.locale, 'dilemma.personalOnly')));
    await sendCard(turn.context, form(turn.locale));
  }

  async function showList(turn: MemberTurn, filter: ListFilter, page: number, replace: boolean): Promise<void> {
    const all = await dilemmas.list(viewerOf(turn), filter);
    const pageCount = Math.max(1, Math.ceil(all.length / PAGE_SIZE));
    const current = Math.min(page, pageCount - 1);
    const card = dilemmaListCard(turn.locale, {
      dilemmas: all.slice(current * PAGE_SIZE, (current + 1) * PAGE_SIZE),
      total: all.length,
      page: current,
      filter,
      organisationName,
      municipalities: municipalities(),
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
      theme: submitted.theme.slice(0, 60),
      municipalities: submitted.municipalities.slice(0, 500),
      visibility: submitted.visibility === 'confidential' ? 'confidential' : 'members',
      wantsAgenda: submitted.wantsAgenda === 'true' ? 'true' : 'false',
    };
    const again = (p: Record<string, string>) =>
      replaceCard(
        context,
        dilemmaFormCard(locale, {
          submissionId: submitted.submissionId,
          municipalities: municipalities(),
          values,
          problems: p as never,
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
      visibility: values.visibility,
      wantsAgenda: values.wantsAgenda === 'true',
    };
    const result = submitted.editId
      ? await dilemmas.edit(turn.member, submitted.editId, raw)
      : await dilemmas.create(turn.member, raw, submitted.submissionId);
    if (result.status === 'invalid') return void (await again(result.problems as Record<string, string>));
    if (result.status === 'busy') return void (await context.sendActivity(t(locale, 'dilemma.busy')));
    await replaceCard(context, dilemmaSavedCard(locale, result.dilemma, result.created || !submitted.editId));
    if (result.created) services.log.info({ event: 'dilemma.created', id: result.dilemma.id }, 'dilemma logged');
  }

  async function recognise(turn: MemberTurn, id: string): Promise<AdaptiveCard> {
    const { dilemma, recognised } = await dilemmas.toggleRecognition(viewerOf(turn), id);
    const { responses } = await dilemmas.get(viewerOf(turn), id);
    const notice = t(turn.locale, recognised ? 'dilemma.recognised' : 'dilemma.unrecognised', { count: dilemma.recognisedBy.length });
    return detail(turn, dilemma, responses, { notice });
  }

  /** Action.Execute answers with a card (or a sentence); members only, known errors as sentences. */
  const execute =
    (handler: (turn: MemberTurn, id: string) => Promise<AdaptiveCard>) =>
    async (context: TurnContext, _state: unknown, data: unknown): Promise<AdaptiveCard | string> => {
      let answer: AdaptiveCard | string = '';
      await memberTurn(async (turn) => {
        try {
          answer = await handler(turn, idSubmitSchema.parse(data).id);
        } catch (err) {
          const message = knownErrorMessage(err, turn.locale);
          if (message === undefined) throw err;
          answer = message;
        }
      })(context);
      return answer || t('nl', 'error.notFound');
    };

  return {
    menu: [
      { label: 'menu.dilemmaNew', command: 'dilemma', roles: DILEMMA_ROLES },
      { label: 'menu.dilemmaList', command: "dilemma's", roles: DILEMMA_ROLES },
    ],
    commands: [
      {
        words: ['dilemma'],
        handler: async (turn) => {
          const id = turn.args.trim().toUpperCase();
          if (!id) return showForm(turn);
          if (dilemmaIdSchema.safeParse(id).success) return sendCard(turn.context, await openDetail(turn, id));
          // "dilemma woningbouw" reads as a search.
          return showList(turn, { words: turn.args.slice(0, LIMITS.search) }, 0, false);
        },
      },
      {
        words: ["dilemma's", 'dilemmas', "dilemma’s"],
        handler: (turn) => showList(turn, turn.args ? { words: turn.args.slice(0, LIMITS.search) } : {}, 0, false),
      },
    ],
    register(app: BotApp) {
      app.adaptiveCards.actionSubmit('dilemmaSave', memberTurn(save));

      app.adaptiveCards.actionSubmit(
        'dilemmaOpen',
        memberTurn(async (turn) => sendCard(turn.context, await openDetail(turn, idSubmitSchema.parse(turn.context.activity.value).id))),
      );

      app.adaptiveCards.actionSubmit(
        'dilemmaList',
        memberTurn(async (turn) => {
          const input = listSubmitSchema.parse(turn.context.activity.value);
          const chosen = (value: string | undefined) => (value && value !== ANY ? value : undefined);
          const status = chosen(input.status) ? statusSchema.parse(input.status) : undefined;
          const theme = chosen(input.theme);
          const municipality = chosen(input.municipality);
          const filter: ListFilter = {
            ...(theme ? { theme } : {}),
            ...(municipality ? { municipality } : {}),
            ...(status ? { status } : {}),
            ...(input.words?.trim() ? { words: input.words.trim() } : {}),
          };
          await showList(turn, filter, input.page ?? 0, true);
        }),
      );

      app.adaptiveCards.actionSubmit(
        'dilemmaRecognise',
        memberTurn(async (turn) => replaceCard(turn.context, await recognise(turn, idSubmitSchema.parse(turn.context.activity.value).id))),
      );
      app.adaptiveCards.actionExecute('dilemmaRecognise', execute(recognise));
      app.adaptiveCards.actionExecute('dilemmaRefresh', execute((turn, id) => openDetail(turn, id)));

      app.adaptiveCards.actionSubmit(
        'dilemmaRespond',
        memberTurn(async (turn) => {
          const input = responseSubmitSchema.parse(turn.context.activity.value);
          if (input.responseText.trim().length > LIMITS.response) {
            // Too long: the detail comes back with the text in the box, so nothing is lost.
            const { dilemma, responses } = await dilemmas.get(viewerOf(turn), input.id);
            const notice = t(turn.locale, 'dilemma.responseTooLong', { max: LIMITS.response });
            return sendCard(turn.context, detail(turn, dilemma, responses, { notice, draftResponse: input.responseText.slice(0, LIMITS.response) }));
          }
          await dilemmas.respond(viewerOf(turn), input.id, input.responseText, input.wantsToTalk);
          await replaceCard(turn.context, await openDetail(turn, input.id, t(turn.locale, 'dilemma.responded', { id: input.id })));
        }),
      );

      app.adaptiveCards.actionSubmit(
        'dilemmaEdit',
        memberTurn(async (turn) => {
          const { id } = idSubmitSchema.parse(turn.context.activity.value);
          const { dilemma } = await dilemmas.get(viewerOf(turn), id);
          if (!dilemmas.isAuthor(turn.member, dilemma)) return void (await turn.context.sendActivity(t(turn.locale, 'dilemma.notAuthor')));
          if (dilemma.status !== 'nieuw') return void (await turn.context.sendActivity(t(turn.locale, 'dilemma.notNew')));
          const values: DilemmaFormValues = {
            title: dilemma.title,
            description: dilemma.description,
            theme: dilemma.theme,
            municipalities: dilemma.municipalities.join(','),
            relatedPlan: dilemma.relatedPlan,
            visibility: dilemma.visibility,
            wantsAgenda: dilemma.wantsAgenda ? 'true' : 'false',
          };
          await sendCard(turn.context, form(turn.locale, values, undefined, dilemma.id));
        }),
      );

      app.adaptiveCards.actionSubmit(
        'dilemmaWithdraw',
        memberTurn(async (turn) => {
          const { id } = idSubmitSchema.parse(turn.context.activity.value);
          await dilemmas.withdraw(turn.member, id);
          await replaceCard(turn.context, await openDetail(turn, id, t(turn.locale, 'dilemma.withdrawn', { id })));
        }),
      );

      app.adaptiveCards.actionSubmit(
        'dilemmaStatus',
        memberTurn(async (turn) => {
          const input = statusSubmitSchema.parse(turn.context.activity.value);
          const updated = await dilemmas.setStatus(turn.member, input.id, input.status, input.outcome);
          const notice = t(turn.locale, 'dilemma.statusChanged', { id: updated.id, status: statusLabel(turn.locale, updated.status) });
          await replaceCard(turn.context, await openDetail(turn, input.id, notice));
        }),
      );
    },
  };
}
