// Access requests, the secretariaat's decisions and the `beheer` card: Teams in, service calls, cards out.
import type { Core, Directory, MemberTurn, PersonTurn, Routes } from '../../capability';
import { errorFields } from '../../log';
import { personKey } from '../../storage/keys';
import { cardActivity, isShared, replaceCard, sendCard } from '../../turn';
import { fold } from '../../text';
import { accessRequestCard, accessRequestNoticeCard, adminCard, decidedCard, decidedLine, SEARCH_LENGTH } from './cards';
import { t } from './messages';
import {
  accessDecisionSubmitSchema,
  accessRequestSubmitSchema,
  adminPageSubmitSchema,
  adminSearchSubmitSchema,
  changeRoleSubmitSchema,
  removeMemberSubmitSchema,
  roleSchema,
  type AccessRequest,
} from './model';
import type { MemberService } from './service';

/** How the core learns who is acting, and what an unknown person is told. */
export function memberDirectory(members: MemberService): Directory {
  return {
    resolve: (person) => members.resolve(person),
    nameOf: async (person) => (await members.find(person))?.name,
    inactiveSince: (cutoff) => members.inactiveSince(cutoff),
    organisationName: (id) => members.organisationName(id),
    async onboard({ context, person, locale }: PersonTurn) {
      if (isShared(context)) {
        // The outcome comes in the personal chat, and a form in a channel is everyone's to see.
        await context.sendActivity(t(locale, 'access.personalOnly'));
      } else if (await members.pendingRequest(person)) {
        await context.sendActivity(t(locale, 'access.pending'));
      } else {
        await sendCard(context, accessRequestCard(locale, members.listOrganisations()));
      }
    },
  };
}

const ACCESS_REQUEST = 'members.accessRequest';
const ACCESS_DECISION = 'members.accessDecision';

export function memberRoutes(members: MemberService, core: Core): Routes {
  const { outbox, log } = core;
  const noticeFailed = (err: unknown) => log.error({ event: 'access.noticeNotQueued', err: errorFields(err) }, 'access notice not queued');
  outbox.renderer(ACCESS_REQUEST, async ({ data, locale }) => {
    if (typeof data.tenantId !== 'string' || typeof data.aadObjectId !== 'string') return undefined;
    const request = await members.pendingRequest({ tenantId: data.tenantId, aadObjectId: data.aadObjectId, name: '' });
    return request ? cardActivity(accessRequestNoticeCard(locale, request, (id) => members.organisationName(id))) : undefined;
  });
  outbox.renderer(ACCESS_DECISION, async ({ data, locale }) => ({
    type: 'message',
    text: t(locale, data.approved === true ? 'access.approved' : 'access.rejected'),
  }));

  async function buildAdminCard({ member, locale }: MemberTurn, typed = '', offset = 0) {
    const search = typed.trim().slice(0, SEARCH_LENGTH);
    const [requests, list] = await Promise.all([members.openRequests(member), members.listMembers(member)]);
    const words = fold(search).split(/\s+/).filter(Boolean);
    const shown = words.length ? list.filter((m) => words.every((w) => fold(m.name).includes(w))) : list;
    return adminCard(locale, requests, shown, (id) => members.organisationName(id), { search, offset }, {
      self: member,
      fromConfig: (m) => members.isBootstrap(m),
    });
  }

  /**
   * Every secretariaat member gets a card to decide, through the outbox (it survives a restart). The row holds
   * the requester's ids only; the card is built when it is sent, and not at all once someone has decided.
   */
  function notifySecretariaat(request: AccessRequest): Promise<void> {
    return outbox.notify(
      async () =>
        (await members.secretariaat()).map((admin) => ({
          batch: `access-request-${personKey(request.tenantId, request.aadObjectId)}-${request.requestedAt}`.replace(/[^A-Za-z0-9_.:-]/g, '-'),
          recipient: { tenantId: admin.tenantId, aadObjectId: admin.aadObjectId },
          kind: ACCESS_REQUEST,
          data: { tenantId: request.tenantId, aadObjectId: request.aadObjectId },
        })),
      noticeFailed,
    );
  }

  function notifyRequester(request: AccessRequest): Promise<void> {
    return outbox.notify(
      {
        batch: `access-decision-${personKey(request.tenantId, request.aadObjectId)}-${request.decidedAt ?? request.status}`.replace(/[^A-Za-z0-9_.:-]/g, '-'),
        recipient: { tenantId: request.tenantId, aadObjectId: request.aadObjectId },
        kind: ACCESS_DECISION,
        data: { approved: request.status === 'approved' },
      },
      noticeFailed,
    );
  }

  return {
    // Beheer shows the member list and open requests: the secretariaat, in a personal chat.
    audience: { roles: ['secretariaat'], where: 'personal' },
    refusals: { personalOnly: (locale) => t(locale, 'admin.personalOnly') },
    menu: [{ label: (locale) => t(locale, 'menu.admin'), command: 'beheer', roles: ['secretariaat'], group: 'manage' }],
    commands: [
      {
        words: ['beheer', 'admin'],
        async handler(turn) {
          // The member list and open requests are not for everyone in a channel or group chat.
          if (isShared(turn.context)) return void (await turn.context.sendActivity(t(turn.locale, 'admin.personalOnly')));
          await sendCard(turn.context, await buildAdminCard(turn, turn.args));
        },
      },
    ],
    openActions: [
      {
        // Open to people who are not members yet: this is how they become one.
        verb: 'requestAccess',
        async handler({ context, person, locale }) {
          const input = accessRequestSubmitSchema.safeParse(context.activity.value);
          if (!input.success) return void (await context.sendActivity(t(locale, 'error.invalidInput')));
          if (isShared(context)) return void (await context.sendActivity(t(locale, 'access.personalOnly')));
          const result = await members.requestAccess(person, input.data);
          switch (result.status) {
            case 'invalid':
              // Same form back, with what was chosen kept and the problem named at the field.
              await replaceCard(context, accessRequestCard(locale, members.listOrganisations(), { ...input.data, problems: result.problems }));
              return;
            case 'member':
              await context.sendActivity(t(locale, 'access.approved'));
              return;
            case 'pending':
              await context.sendActivity(t(locale, 'access.pending'));
              return;
            case 'sent':
              // Kept in the outbox before the requester hears it was sent.
              await notifySecretariaat(result.request);
              await context.sendActivity(t(locale, 'access.sent'));
              log.info({ event: 'access.requested' }, 'access requested');
          }
        },
      },
    ],
    actions: [
      {
        verb: 'adminSearch',
        async handler(turn) {
          const input = adminSearchSubmitSchema.parse(turn.context.activity.value);
          if (isShared(turn.context)) return void (await turn.context.sendActivity(t(turn.locale, 'admin.personalOnly')));
          await replaceCard(turn.context, await buildAdminCard(turn, input.search));
        },
      },
      {
        verb: 'adminPage',
        async handler(turn) {
          const input = adminPageSubmitSchema.parse(turn.context.activity.value);
          if (isShared(turn.context)) return void (await turn.context.sendActivity(t(turn.locale, 'admin.personalOnly')));
          await replaceCard(turn.context, await buildAdminCard(turn, input.search, input.offset));
        },
      },
      {
        verb: 'decideAccess',
        async handler(turn) {
          const { context, member, locale } = turn;
          const input = accessDecisionSubmitSchema.parse(context.activity.value);
          const result = await members.decide(member, input.target, input.decision);
          // The requester's notice is kept before the secretariaat sees the decision done.
          if (result.status !== 'alreadyDecided') await notifyRequester(result.request);
          // From the beheer card the whole card comes back up to date; from a notice, the notice says what happened.
          const refreshed =
            input.from === 'admin' && !isShared(context) ? await buildAdminCard(turn, input.search, input.offset) : decidedCard(locale, result.request);
          await replaceCard(context, refreshed);
          if (result.status === 'alreadyDecided') return void (await context.sendActivity(t(locale, 'access.alreadyDecided')));
          if (input.from === 'admin') await context.sendActivity(decidedLine(locale, result.request));
          log.info({ event: 'access.decided', decision: input.decision }, 'access request decided');
        },
      },
      {
        verb: 'changeRole',
        async handler(turn) {
          const { context, member, locale } = turn;
          const input = changeRoleSubmitSchema.parse(context.activity.value);
          const field = typeof input.input === 'string' && /^role-\d{1,3}$/.test(input.input) ? input.input : 'role';
          const role = roleSchema.parse(input[field]);
          const updated = await members.changeRole(member, input.target, role);
          // Someone who just gave up their own secretariaat role no longer gets the beheer card.
          const self = updated.tenantId === member.tenantId && updated.aadObjectId === member.aadObjectId;
          if (!self || role === 'secretariaat') await replaceCard(context, await buildAdminCard(turn, input.search, input.offset));
          await context.sendActivity(t(locale, 'admin.roleChanged', { name: updated.name, role: t(locale, `role.${role}`) }));
        },
      },
      {
        verb: 'removeMember',
        async handler(turn) {
          const { context, member, locale } = turn;
          const input = removeMemberSubmitSchema.parse(context.activity.value);
          const removed = await members.removeMember(member, input.target);
          const self = removed.tenantId === member.tenantId && removed.aadObjectId === member.aadObjectId;
          if (!self) await replaceCard(context, await buildAdminCard(turn, input.search, input.offset));
          await context.sendActivity(t(locale, 'admin.removed', { name: removed.name }));
        },
      },
    ],
  };
}
