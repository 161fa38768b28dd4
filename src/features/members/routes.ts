// Access requests, the secretariaat's decisions and the `beheer` card: Teams in, service calls, cards out.
import type { TurnContext } from 'botbuilder';
import { t, type Locale } from '../../i18n';
import { cardActivity, isShared, localeFor, personOf, replaceCard, sendCard } from '../../turn';
import type { BotApp, Feature, MemberTurn, Services } from '../types';
import { accessRequestCard, accessRequestNoticeCard, adminCard, decidedCard, decidedLine } from './cards';
import { fold } from '../../text';
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

/** The member behind this turn, or undefined; says nothing to the person (for invokes Teams sends by itself). */
export async function memberIfKnown(context: TurnContext, services: Services): Promise<Member | undefined> {
  const person = personOf(context);
  if (!person) return undefined;
  const prefetched = context.turnState.get(PREFETCHED) as Promise<Member | undefined> | undefined;
  return prefetched ?? services.members.resolve(person);
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
  const member = await memberIfKnown(context, services);
  if (member) return member;
  if (isShared(context)) {
    // The outcome comes in the personal chat, and a form in a channel is everyone's to see.
    await context.sendActivity(t(locale, 'access.personalOnly'));
  } else if (await services.members.pendingRequest(person)) {
    await context.sendActivity(t(locale, 'access.pending'));
  } else {
    await sendCard(context, accessRequestCard(locale, services.members.listOrganisations()));
  }
  return undefined;
}

async function buildAdminCard({ member, locale }: MemberTurn, services: Services, search = '') {
  const [requests, members] = await Promise.all([
    services.members.openRequests(member),
    services.members.listMembers(member),
  ]);
  const words = fold(search).split(/\s+/).filter(Boolean);
  const shown = words.length ? members.filter((m) => words.every((w) => fold(m.name).includes(w))) : members;
  return adminCard(locale, requests, shown, (id) => services.members.organisationName(id), search.slice(0, 200));
}

async function showAdmin(turn: MemberTurn, services: Services): Promise<void> {
  // The member list and open requests are not for everyone in a channel or group chat.
  if (isShared(turn.context)) return void (await turn.context.sendActivity(t(turn.locale, 'admin.personalOnly')));
  await sendCard(turn.context, await buildAdminCard(turn, services, turn.args));
}

/** Every secretariaat member gets a card to decide; sent after the turn, so the requester need not wait. */
function notifySecretariaat(services: Services, request: AccessRequest): void {
  const name = (id: string) => services.members.organisationName(id);
  services.sender.background(async () => {
    const admins = await services.members.secretariaat();
    await Promise.all(
      admins.map((admin) =>
        services.sender.sendToPerson(admin.tenantId, admin.aadObjectId, (locale) =>
          cardActivity(accessRequestNoticeCard(locale, request, name)),
        ),
      ),
    );
  });
}

function notifyRequester(services: Services, request: AccessRequest): void {
  services.sender.background(() =>
    services.sender.sendToPerson(request.tenantId, request.aadObjectId, (locale: Locale) => ({
      type: 'message',
      text: t(locale, request.status === 'approved' ? 'access.approved' : 'access.rejected'),
    })),
  );
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
        if (isShared(context)) return void (await context.sendActivity(t(locale, 'access.personalOnly')));
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
            notifySecretariaat(services, result.request);
            services.log.info({ event: 'access.requested' }, 'access requested');
        }
      });

      app.adaptiveCards.actionSubmit(
        'decideAccess',
        memberTurn(async (turn) => {
          const { context, member, locale } = turn;
          const input = accessDecisionSubmitSchema.parse(context.activity.value);
          const result = await services.members.decide(member, input.target, input.decision);
          // From the beheer card the whole card comes back up to date; from a notice, the notice says what happened.
          const refreshed =
            input.from === 'admin' && !isShared(context) ? await buildAdminCard(turn, services, input.search) : decidedCard(locale, result.request);
          await replaceCard(context, refreshed);
          if (result.status === 'alreadyDecided') return void (await context.sendActivity(t(locale, 'access.alreadyDecided')));
          if (input.from === 'admin') await context.sendActivity(decidedLine(locale, result.request));
          notifyRequester(services, result.request);
          services.log.info({ event: 'access.decided', decision: input.decision }, 'access request decided');
        }),
      );

      app.adaptiveCards.actionSubmit(
        'changeRole',
        memberTurn(async (turn) => {
          const { context, member, locale } = turn;
          const input = changeRoleSubmitSchema.parse(context.activity.value);
          const field = typeof input.input === 'string' && /^role-\d{1,3}$/.test(input.input) ? input.input : 'role';
          const role = roleSchema.parse(input[field]);
          const updated = await services.members.changeRole(member, input.target, role);
          // Someone who just gave up their own secretariaat role no longer gets the beheer card.
          const self = updated.tenantId === member.tenantId && updated.aadObjectId === member.aadObjectId;
          if (!self || role === 'secretariaat') await replaceCard(context, await buildAdminCard(turn, services, input.search));
          await context.sendActivity(t(locale, 'admin.roleChanged', { name: updated.name, role: t(locale, `role.${role}`) }));
        }),
      );

      app.adaptiveCards.actionSubmit(
        'removeMember',
        memberTurn(async (turn) => {
          const { context, member, locale } = turn;
          const input = removeMemberSubmitSchema.parse(context.activity.value);
          const removed = await services.members.removeMember(member, input.target);
          const self = removed.tenantId === member.tenantId && removed.aadObjectId === member.aadObjectId;
          if (!self) await replaceCard(context, await buildAdminCard(turn, services, input.search));
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

