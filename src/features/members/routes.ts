// Access requests, the secretariaat's decisions and the `beheer` card: Teams in, service calls, cards out.
import type { TurnContext } from 'botbuilder';
import { t, type Locale } from '../../i18n';
import { cardActivity, localeFor, personOf, replaceCard, sendCard } from '../../turn';
import type { BotApp, Feature, MemberTurn, Services } from '../types';
import { accessRequestCard, accessRequestNoticeCard, adminCard, decidedCard } from './cards';
import {
  accessDecisionSubmitSchema,
  accessRequestSubmitSchema,
  changeRoleSubmitSchema,
  removeMemberSubmitSchema,
  roleSchema,
  type AccessRequest,
  type Member,
} from './model';

const PREFETCHED = Symbol('member');

/** Starts looking up the member while teams-ai loads turn state, so the two reads overlap. */
export function prefetchMember(context: TurnContext, services: Services): void {
  const person = personOf(context);
  if (!person) return;
  const lookup = services.members.resolve(person);
  lookup.catch(() => undefined); // awaited (and reported) by memberOrOnboard
  context.turnState.set(PREFETCHED, lookup);
}

/**
 * The member behind this turn. An unknown person gets the access form (or hears that their request is
 * still open) and undefined comes back, so the caller stops.
 */
export async function memberOrOnboard(context: TurnContext, services: Services): Promise<Member | undefined> {
  const person = personOf(context);
  const locale = localeFor(context, services.config.locale);
  if (!person) {
    await context.sendActivity(t(locale, 'refused.tenant'));
    return undefined;
  }
  const prefetched = context.turnState.get(PREFETCHED) as Promise<Member | undefined> | undefined;
  const member = await (prefetched ?? services.members.resolve(person));
  if (member) return member;
  if (await services.members.pendingRequest(person)) {
    await context.sendActivity(t(locale, 'access.pending'));
  } else {
    await sendCard(context, accessRequestCard(locale, services.members.listOrganisations()));
  }
  return undefined;
}

async function showAdmin({ context, member, locale }: MemberTurn, services: Services): Promise<void> {
  const [requests, members] = await Promise.all([
    services.members.openRequests(member),
    services.members.listMembers(member),
  ]);
  await sendCard(context, adminCard(locale, requests, members, (id) => services.members.organisationName(id)));
}

async function notifySecretariaat(services: Services, request: AccessRequest): Promise<void> {
  const admins = await services.members.secretariaat();
  const name = (id: string) => services.members.organisationName(id);
  await Promise.all(
    admins.map((admin) =>
      services.sender.sendToPerson(admin.tenantId, admin.aadObjectId, (locale) =>
        cardActivity(accessRequestNoticeCard(locale, request, name)),
      ),
    ),
  );
}

async function notifyRequester(services: Services, request: AccessRequest): Promise<void> {
  await services.sender.sendToPerson(request.tenantId, request.aadObjectId, (locale: Locale) => ({
    type: 'message',
    text: t(locale, request.status === 'approved' ? 'access.approved' : 'access.rejected'),
  }));
}

export function membersFeature(services: Services, memberTurn: MemberRouteWrapper): Feature {
  return {
    menu: [{ label: 'menu.admin', command: 'beheer', roles: ['secretariaat'] }],
    commands: [{ words: ['beheer', 'admin'], handler: (turn) => showAdmin(turn, services) }],
    register(app: BotApp) {
      // Open to people who are not members yet: this is how they become one.
      app.adaptiveCards.actionSubmit('requestAccess', async (context) => {
        const locale = localeFor(context, services.config.locale);
        const person = personOf(context);
        const input = accessRequestSubmitSchema.safeParse(context.activity.value);
        if (!person || !input.success) {
          await context.sendActivity(t(locale, 'error.invalidInput'));
          return;
        }
        const result = await services.members.requestAccess(person, input.data);
        switch (result.status) {
          case 'invalid':
            // Same form back, with what was chosen kept and the problem named at the field.
            await replaceCard(
              context,
              accessRequestCard(locale, services.members.listOrganisations(), { ...input.data, problems: result.problems }),
            );
            return;
          case 'member':
            await context.sendActivity(t(locale, 'access.approved'));
            return;
          case 'pending':
            await context.sendActivity(t(locale, 'access.pending'));
            return;
          case 'sent':
            await context.sendActivity(t(locale, 'access.sent'));
            await notifySecretariaat(services, result.request);
            services.log.info({ event: 'access.requested' }, 'access requested');
        }
      });

      app.adaptiveCards.actionSubmit(
        'decideAccess',
        memberTurn(async ({ context, member, locale }) => {
          const input = accessDecisionSubmitSchema.parse(context.activity.value);
          const result = await services.members.decide(member, input.target, input.decision);
          if (result.status === 'alreadyDecided') {
            await replaceCard(context, decidedCard(locale, result.request));
            await context.sendActivity(t(locale, 'access.alreadyDecided'));
            return;
          }
          await replaceCard(context, decidedCard(locale, result.request));
          await notifyRequester(services, result.request);
          services.log.info({ event: 'access.decided', decision: input.decision }, 'access request decided');
        }),
      );

      app.adaptiveCards.actionSubmit(
        'changeRole',
        memberTurn(async ({ context, member, locale }) => {
          const input = changeRoleSubmitSchema.parse(context.activity.value);
          const field = typeof input.input === 'string' && /^role-\d{1,3}$/.test(input.input) ? input.input : 'role';
          const role = roleSchema.parse(input[field]);
          const updated = await services.members.changeRole(member, input.target, role);
          await context.sendActivity(t(locale, 'admin.roleChanged', { name: updated.name, role: t(locale, `role.${role}`) }));
        }),
      );

      app.adaptiveCards.actionSubmit(
        'removeMember',
        memberTurn(async ({ context, member, locale }) => {
          const input = removeMemberSubmitSchema.parse(context.activity.value);
          const removed = await services.members.removeMember(member, input.target);
          await context.sendActivity(t(locale, 'admin.removed', { name: removed.name }));
        }),
      );
    },
  };
}

/** Wraps a card-submit handler so it runs only for members, with known errors answered in Dutch. */
export type MemberRouteWrapper = (
  handler: (turn: MemberTurn) => Promise<void>,
) => (context: TurnContext) => Promise<void>;

