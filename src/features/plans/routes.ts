// Plan commands, card actions, the plan list sent as a file, and the "Plan zoeken" message extension:
// Teams in, PlanService calls, cards out. Thin on purpose.
import { CardFactory, type MessagingExtensionAttachment, type MessagingExtensionResult, type TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { Audience, Core, MemberTurn, Routes, SearchExtension } from '../../capability';
import { Refusal } from '../../errors';
import type { Member } from '../../identity';
import { cardActivity, isShared, replaceCard, sendCard } from '../../turn';
import type { Outbox } from '../../proactive/outbox';
import type { Logger } from '../../log';
import { errorFields } from '../../log';
import type { MemberService } from '../members';
import type { DilemmaService } from '../dilemmas';
import { formatNumber, type Locale } from '../../i18n';
import {
  historyCard,
  importReportCard,
  noticeCard,
  summariseReport,
  planCard,
  planChoiceCard,
  planEditCard,
  planListCard,
  planResultCard,
  progressCard,
} from './cards';
import { shortName } from './fields';
import { t } from './messages';
import {
  EDIT_FIELDS,
  LIMITS,
  changeSchema,
  planEditSubmitSchema,
  planFollowSubmitSchema,
  planListSubmitSchema,
  planOpenSubmitSchema,
  type EditField,
  type Plan,
} from './model';
import { mayEdit, mayImport, mayReadPlans, PLAN_ROLES, type ImportReport, type PlanNotifier, type PlanService } from './service';

const FOLLOWER_NOTICE = 'plans.followerNotice';
const IMPORT_REPORT = 'plans.importReport';
const IMPORT_FAILED = 'plans.importFailed';
const reportSchema = z
  .object({ status: z.literal('done'), created: z.number(), changed: z.number(), unchanged: z.number(), rejected: z.array(z.unknown()), unknownColumns: z.array(z.string()) })
  .passthrough();
/** Teams asks a search message extension for 25 results at a time (queryOptions.count): never more than that. */
const SEARCH_RESULTS_MAX = 25;

/**
 * Followers hear of a plan's phase and number changes through the durable outbox: one message per change and
 * follower, built at send time in the follower's language, and only while they may still read plans.
 */
export function planNotifier(outbox: Outbox, members: MemberService, service: () => PlanService, log: Logger): PlanNotifier {
  outbox.renderer(FOLLOWER_NOTICE, async ({ data, recipient, locale }) => {
    if ('conversationId' in recipient || typeof data.id !== 'string' || typeof data.changes !== 'string') return undefined;
    const member = await members.resolve({ ...recipient, name: '' });
    if (!member || !mayReadPlans(member)) return undefined;
    const changes = z.array(changeSchema).safeParse(JSON.parse(data.changes));
    if (!changes.success) return undefined;
    try {
      const plan = await service().get(member, data.id);
      // Who made this change, from the plan's history (an erased member's name is gone from there too).
      const at = typeof data.at === 'string' ? data.at : undefined;
      const made = at ? (await service().history(member, data.id)).find((e) => e.at === at) : undefined;
      return cardActivity(noticeCard(locale, plan, changes.data, made?.by));
    } catch {
      return undefined;
    }
  });
  return {
    planChanged(plan, changes, followers) {
      const at = new Date().toISOString();
      return outbox.notify(
        async () =>
          followers.map((person) => ({
            batch: `plan-${plan.id}-${at}`.replace(/[^A-Za-z0-9_.:-]/g, '-'),
            recipient: { tenantId: person.tenantId, aadObjectId: person.aadObjectId },
            kind: FOLLOWER_NOTICE,
            data: { id: plan.id, changes: JSON.stringify(changes), at: plan.updatedAt },
          })),
        (err) => log.error({ event: 'plans.noticeNotQueued', err: errorFields(err) }, 'follower notice not queued'),
      );
    },
  };
}

/** Teams hands a file sent to the bot over as this attachment (with `supportsFiles` in the manifest). */
export const FILE_DOWNLOAD_INFO = 'application/vnd.microsoft.teams.file.download.info';
const fileAttachmentSchema = z.object({
  contentType: z.literal(FILE_DOWNLOAD_INFO),
  name: z.string().max(260).optional(),
  content: z.object({ downloadUrl: z.string().url().max(8000) }).passthrough(),
});

/** Where a file may come from: https, and plain http on this machine only when running locally (no app id). */
function downloadAllowed(url: string, allowLoopbackHttp: boolean): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === 'https:') return true;
  return allowLoopbackHttp && parsed.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname);
}

/** Downloads at most LIMITS.fileBytes (one byte more says "too big"), within 20 seconds. */
async function download(url: string): Promise<Buffer> {
  const res = await fetch(url, { signal: AbortSignal.timeout(20_000), redirect: 'error' });
  if (!res.ok || !res.body) throw new Error(`download failed with HTTP ${res.status}`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    chunks.push(Buffer.from(chunk));
    if (size > LIMITS.fileBytes) break;
  }
  return Buffer.concat(chunks);
}

export function planRoutes(plans: PlanService, members: MemberService, dilemmas: DilemmaService, core: Core): Routes {
  core.outbox.renderer(IMPORT_REPORT, async ({ data, locale }) => {
    if (typeof data.id !== 'string') return undefined;
    const parsed = reportSchema.safeParse(await plans.importReport(data.id));
    return parsed.success ? cardActivity(importReportCard(locale, parsed.data as unknown as ImportReport)) : undefined;
  });
  core.outbox.renderer(IMPORT_FAILED, async ({ locale }) => ({ type: 'message', text: t(locale, 'plan.import.failed') }));
  const municipalityName = (id: string) => shortName(members.organisationName(id));
  const settings = core.config.plans;

  /** The dilemmas about a plan that this viewer may see (the dilemmas' own `canSee` rule decides), newest first. */
  async function dilemmasAbout(plan: Plan, turn: MemberTurn): Promise<Array<{ id: string; title: string }>> {
    const viewer = { member: turn.member, shared: isShared(turn.context) };
    try {
      return (await dilemmas.list(viewer, { plan: plan.id })).items.map((d) => ({ id: d.id, title: d.title }));
    } catch (err) {
      // A role that does not read dilemmas (a gespreksleider) simply sees none here.
      if (err instanceof Refusal) return [];
      throw err;
    }
  }

  async function cardFor(turn: MemberTurn, plan: Plan, notice?: string, known?: { following: boolean; about: Array<{ id: string; title: string }> }) {
    const [following, about] = known
      ? [known.following, known.about]
      : await Promise.all([plans.isFollowing(turn.member, plan.id), dilemmasAbout(plan, turn)]);
    return planCard(turn.locale, {
      plan,
      municipalityName: municipalityName(plan.municipality),
      affordablePurchaseLimit: settings.affordablePurchaseLimit,
      following,
      mayEdit: mayEdit(turn.member, plan) && !isShared(turn.context),
      dilemmas: about,
      ...(notice ? { notice } : {}),
    });
  }

  async function showPlan(turn: MemberTurn): Promise<void> {
    const query = turn.args.trim().slice(0, LIMITS.search);
    if (!query) return void (await turn.context.sendActivity(t(turn.locale, 'plan.askName')));
    // The likely plan from memory lets its follow state and dilemmas be read while storage is asked whether
    // the plans moved: one round trip instead of two. The answer always uses the fresh result.
    const guess = plans.findInMemory(turn.member, query);
    const [found, extra] = await Promise.all([
      plans.find(turn.member, query),
      guess.kind === 'one'
        ? Promise.all([plans.isFollowing(turn.member, guess.plan.id), dilemmasAbout(guess.plan, turn)])
        : Promise.resolve(undefined),
    ]);
    if (found.kind === 'one') {
      const known = extra && guess.kind === 'one' && guess.plan.id === found.plan.id ? { following: extra[0], about: extra[1] } : undefined;
      return sendCard(turn.context, await cardFor(turn, found.plan, undefined, known));
    }
    const list = found.kind === 'several' ? found.plans : found.closest;
    await sendCard(turn.context, planChoiceCard(turn.locale, query, list, found.kind, municipalityName));
  }

  async function showList(turn: MemberTurn, text: string, replace: boolean): Promise<void> {
    const municipalities = plans.municipalityList();
    const municipality = text && text !== 'regio' ? plans.municipalityByText(text) : undefined;
    const notice = text && text !== 'regio' && !municipality ? t(turn.locale, 'plan.list.unknownMunicipality', { text: text.slice(0, 40) }) : undefined;
    const { plans: list, tally } = await plans.list(turn.member, municipality?.id);
    const card = planListCard(turn.locale, { plans: list, tally, municipalities, ...(municipality ? { municipality } : {}), ...(notice ? { notice } : {}) });
    await (replace ? replaceCard(turn.context, card) : sendCard(turn.context, card));
  }

  async function save(turn: MemberTurn): Promise<void> {
    const input = planEditSubmitSchema.parse(turn.context.activity.value);
    if (isShared(turn.context)) return void (await turn.context.sendActivity(t(turn.locale, 'plan.edit.personalOnly')));
    const result = await plans.update(turn.member, input);
    const { locale } = turn;
    switch (result.status) {
      case 'saved':
        core.log.info({ event: 'plan.updated', id: result.plan.id, fields: result.changes.map((c) => c.field) }, 'plan updated');
        return replaceCard(turn.context, await cardFor(turn, result.plan, t(locale, 'plan.edit.saved', { name: result.plan.name })));
      case 'unchanged':
        return replaceCard(turn.context, await cardFor(turn, result.plan, t(locale, 'plan.edit.unchanged')));
      case 'conflict': {
        const who = result.plan.updatedBy.name || t(locale, 'plan.changer.import');
        return replaceCard(turn.context, planEditCard(locale, { plan: result.plan, notice: t(locale, 'plan.edit.conflict', { who }) }));
      }
      case 'invalid': {
        const plan = await plans.get(turn.member, input.id);
        const values = Object.fromEntries(EDIT_FIELDS.map((f) => [f, input[f]])) as Record<EditField, string>;
        return replaceCard(turn.context, planEditCard(locale, { plan: { ...plan, revision: input.revision }, values, problems: result.problems }));
      }
    }
  }

  /** A file in the personal chat: the secretariaat's plan list. */
  async function receiveFile(context: TurnContext, member: Member, locale: Locale): Promise<void> {
    if (!mayImport(member)) return void (await context.sendActivity(t(locale, 'plan.import.secretariaatOnly')));
    if (isShared(context)) return void (await context.sendActivity(t(locale, 'plan.import.personalOnly')));
    const files = (context.activity.attachments ?? []).filter((a) => a.contentType === FILE_DOWNLOAD_INFO);
    const parsed = files.length === 1 ? fileAttachmentSchema.safeParse(files[0]) : undefined;
    if (!parsed?.success) return void (await context.sendActivity(t(locale, 'plan.import.notAFile')));
    const url = parsed.data.content.downloadUrl;
    if (!downloadAllowed(url, !core.config.bot.appId)) {
      core.log.warn({ event: 'plan.import.refusedUrl' }, 'file download url refused (not https)');
      return void (await context.sendActivity(t(locale, 'plan.import.downloadFailed')));
    }
    let bytes: Buffer;
    try {
      bytes = await download(url);
    } catch (err) {
      core.log.warn({ event: 'plan.import.downloadFailed', err: errorFields(err) }, 'could not download the plan list');
      return void (await context.sendActivity(t(locale, 'plan.import.downloadFailed')));
    }
    const prepared = await plans.prepareImport(member, bytes);
    if (prepared.status === 'refused') return void (await sendCard(context, importReportCard(locale, prepared)));
    // Writing a long list takes seconds, longer than Teams waits for a turn: say at once how many rows are
    // coming, write them after this turn, and send the report through the outbox. Should Teams deliver the
    // file again meanwhile, importing it twice changes nothing.
    await context.sendActivity(t(locale, 'plan.import.reading', { rows: formatNumber(prepared.rows, locale) }));
    const recipient = { tenantId: member.tenantId, aadObjectId: member.aadObjectId };
    const batch = `plan-import-${Date.now()}-${Math.random().toString(36).slice(2, 10)}`;
    const queued = (err: unknown) => core.log.error({ event: 'plan.import.reportNotQueued', err: errorFields(err) }, 'import report not queued');
    void prepared.apply().then(
      async (report) => {
        if (report.status === 'done') {
          core.log.info({ event: 'plan.imported', created: report.created, changed: report.changed, unchanged: report.unchanged, rejected: report.rejected.length }, 'plan list imported');
        }
        // The report as one message shows it (counts and the first rows) waits in storage for its message.
        try {
          await plans.keepImportReport(batch, summariseReport(report));
          await core.outbox.notify({ batch, recipient, kind: IMPORT_REPORT, data: { id: batch } }, queued);
        } catch (err) {
          queued(err);
        }
      },
      async (err: unknown) => {
        core.log.error({ event: 'plan.import.failed', err: errorFields(err) }, 'plan list import failed');
        await core.outbox.notify({ batch, recipient, kind: IMPORT_FAILED, data: {} }, queued);
      },
    );
  }

  const extensionResult = (attachments: MessagingExtensionAttachment[]): MessagingExtensionResult => ({
    type: 'result',
    attachmentLayout: 'list',
    attachments,
  });
  const standalone = (lang: Locale, plan: Plan) =>
    CardFactory.adaptiveCard(
      planCard(lang, { plan, municipalityName: municipalityName(plan.municipality), affordablePurchaseLimit: settings.affordablePurchaseLimit, standalone: true }),
    );

  const planSearch: SearchExtension = {
    commandId: 'planSearch',
    async query({ member, locale: lang }, query) {
      const parameters = query.parameters;
      // With initialRun Teams first asks with the parameter initialRun="true", not the search field: show the
      // biggest plans then, as for an empty search.
      const typed = Object.entries(parameters).find(([name]) => name !== 'initialRun')?.[1];
      const text = String(parameters.planName ?? typed ?? '').slice(0, LIMITS.search).trim();
      let found: Plan[];
      if (!text) found = (await plans.list(member)).plans;
      else {
        const result = await plans.find(member, text);
        found = result.kind === 'one' ? [result.plan] : result.kind === 'several' ? result.plans : result.closest;
      }
      if (!found.length) return { type: 'message', text: t(lang, 'plan.search.none') };
      return extensionResult(
        found.slice(0, Math.min(SEARCH_RESULTS_MAX, query.count || SEARCH_RESULTS_MAX)).map((plan) => ({
          ...CardFactory.adaptiveCard(planResultCard(lang, plan, municipalityName(plan.municipality))),
          preview: {
            ...CardFactory.thumbnailCard(plan.name, `${municipalityName(plan.municipality)} · ${plan.homes.total}`),
            content: {
              title: plan.name,
              text: `${municipalityName(plan.municipality)} · ${plan.homes.total}`,
              tap: { type: 'invoke', value: { planId: plan.id } },
            },
          },
        })),
      );
    },
    async select({ member, locale: lang }, item) {
      const parsed = z.object({ planId: z.string().max(200) }).safeParse(item);
      if (!parsed.success) return { type: 'message', text: t(lang, 'plan.search.none') };
      try {
        return extensionResult([standalone(lang, await plans.get(member, parsed.data.planId))]);
      } catch {
        return { type: 'message', text: t(lang, 'plan.search.none') };
      }
    },
  };

  const follow = async (turn: MemberTurn) => {
    const input = planFollowSubmitSchema.parse(turn.context.activity.value);
    const plan = await plans.setFollowing(turn.member, input.id, input.follow);
    const line = t(turn.locale, input.follow ? 'plan.followed' : 'plan.unfollowed', { name: plan.name });
    // In a shared chat the card is everyone's: answer with a line instead of rewriting it for all.
    if (isShared(turn.context)) return void (await turn.context.sendActivity(line));
    await replaceCard(turn.context, await cardFor(turn, plan, line));
  };

  const personal: Audience = { roles: PLAN_ROLES, where: 'personal' };
  return {
    // Plans are no secret among colleagues: open wherever asked; editing only in a personal chat.
    audience: { roles: PLAN_ROLES, where: 'open' },
    refusals: { role: (locale) => t(locale, 'plan.notForRole'), personalOnly: (locale) => t(locale, 'plan.edit.personalOnly') },
    menu: [
      { label: (locale) => t(locale, 'menu.plans'), command: 'plannen', roles: PLAN_ROLES, group: 'plans' },
      { label: (locale) => t(locale, 'menu.progress'), command: 'voortgang', roles: PLAN_ROLES, group: 'plans' },
    ],
    commands: [
      { words: ['plan', 'status'], handler: showPlan },
      { words: ['plannen', 'plans'], handler: (turn) => showList(turn, turn.args.trim().slice(0, 60), false) },
      { words: ['voortgang', 'progress'], handler: async (turn) => sendCard(turn.context, progressCard(turn.locale, await plans.progress(turn.member))) },
    ],
    actions: [
      { verb: 'planOpen', handler: async (turn) => sendCard(turn.context, await cardFor(turn, await plans.get(turn.member, planOpenSubmitSchema.parse(turn.context.activity.value).id))) },
      { verb: 'planFollow', handler: follow },
      {
        verb: 'planHistory',
        handler: async (turn) => {
          const { id } = planOpenSubmitSchema.parse(turn.context.activity.value);
          const plan = await plans.get(turn.member, id);
          await sendCard(turn.context, historyCard(turn.locale, plan, await plans.history(turn.member, id)));
        },
      },
      {
        verb: 'planEdit',
        audience: personal,
        handler: async (turn) => {
          const { id } = planOpenSubmitSchema.parse(turn.context.activity.value);
          if (isShared(turn.context)) return void (await turn.context.sendActivity(t(turn.locale, 'plan.edit.personalOnly')));
          await sendCard(turn.context, planEditCard(turn.locale, { plan: await plans.forEdit(turn.member, id) }));
        },
      },
      { verb: 'planSave', audience: personal, handler: save },
      {
        verb: 'planList',
        handler: async (turn) => showList(turn, planListSubmitSchema.parse(turn.context.activity.value).municipality ?? '', true),
      },
    ],
    files: [
      {
        audience: { roles: ['secretariaat'], where: 'personal' },
        refusals: { role: (locale) => t(locale, 'plan.import.secretariaatOnly'), personalOnly: (locale) => t(locale, 'plan.import.personalOnly') },
        accepts: (attachments) => attachments.some((a) => a.contentType === FILE_DOWNLOAD_INFO),
        handler: ({ context, member, locale }) => receiveFile(context, member, locale),
      },
    ],
    searchExtensions: [planSearch],
  };
}
