// Cards for access requests and the secretariaat's management view. Pure functions of data and locale.
import { formatDate, type Locale } from '../../i18n';
import { t } from './messages';
import {
  actionSet,
  card,
  choiceSet,
  fieldError,
  heading,
  rowName, submit,
  subheading,
  textBlock,
  type AdaptiveCard,
  type CardElement,
} from '../../cards/adaptive';
import { ROLES, type AccessRequest, type Member, type Organisation } from './model';
import { samePerson, type PersonId } from '../../identity';
import { clip, literal } from '../../cards/markdown';

// Each member row carries three small forms (role, remove, erase). At these counts and the longest names the
// card stays within Teams' budget (the worst-case test holds it there).
export const MEMBERS_PER_PAGE = 10;
export const REQUESTS_ON_CARD = 5;
/** Names are cut to this on the beheer card (whole on the member's own messages); 48 leaves room for a name per button. */
export const NAME_ON_CARD = 48;
/** The search rides on every button of the card (so it comes back the same): a few words are enough. */
export const SEARCH_LENGTH = 40;

export interface AccessFormState {
  organisationId?: string;
  role?: string;
  problems?: { organisationId?: 'missing'; role?: 'missing' };
}

export function accessRequestCard(locale: Locale, organisations: Organisation[], state: AccessFormState = {}): AdaptiveCard {
  const body: CardElement[] = [
    heading(t(locale, 'access.title')),
    textBlock(t(locale, 'access.intro')),
    choiceSet(
      'organisationId',
      t(locale, 'access.organisation'),
      organisations.map((o) => ({ title: o.name, value: o.id })),
      {
        // The placeholder says what to choose too: some screen readers read it instead of the label.
        placeholder: t(locale, 'access.chooseOrganisation'),
        isRequired: true,
        errorMessage: t(locale, 'access.organisationMissing'),
        ...(state.organisationId ? { value: state.organisationId } : {}),
      },
    ),
  ];
  if (state.problems?.organisationId) body.push(fieldError(t(locale, 'access.organisationMissing'), 'organisationId'));
  body.push(
    choiceSet(
      'role',
      t(locale, 'access.role'),
      ROLES.map((r) => ({ title: t(locale, `role.${r}`), value: r })),
      {
        placeholder: t(locale, 'access.chooseRole'),
        isRequired: true,
        errorMessage: t(locale, 'access.roleMissing'),
        ...(state.role ? { value: state.role } : {}),
      },
    ),
  );
  if (state.problems?.role) body.push(fieldError(t(locale, 'access.roleMissing'), 'role'));
  return card(body, [submit(t(locale, 'access.submit'), { verb: 'requestAccess' })]);
}

function requestLine(locale: Locale, request: AccessRequest, organisationName: (id: string) => string): string {
  return t(locale, 'access.requestLine', {
    name: literal(clip(request.name || '?', NAME_ON_CARD)),
    role: t(locale, `role.${request.role}`),
    organisation: organisationName(request.organisationId),
  });
}

function decisionButtons(locale: Locale, request: AccessRequest, from: 'notice' | 'admin', keep: Record<string, unknown> = {}): CardElement[] {
  const target = { tenantId: request.tenantId, aadObjectId: request.aadObjectId };
  const extra = from === 'admin' ? keep : {};
  return [
    submit(t(locale, 'access.approve'), { verb: 'decideAccess', decision: 'approved', target, from, ...extra }, { style: 'positive', ...rowName(t(locale, 'access.approve'), request.name || '?') }),
    submit(t(locale, 'access.reject'), { verb: 'decideAccess', decision: 'rejected', target, from, ...extra }, { style: 'destructive', ...rowName(t(locale, 'access.reject'), request.name || '?') }),
  ];
}

/** Sent to every secretariaat member when someone asks for access. */
export function accessRequestNoticeCard(
  locale: Locale,
  request: AccessRequest,
  organisationName: (id: string) => string,
): AdaptiveCard {
  return card(
    [heading(t(locale, 'access.newRequest')), textBlock(requestLine(locale, request, organisationName))],
    decisionButtons(locale, request, 'notice'),
  );
}

export function decidedLine(locale: Locale, request: AccessRequest): string {
  return t(locale, 'access.decided', {
    name: literal(clip(request.name || '?', NAME_ON_CARD)),
    decision: t(locale, request.status === 'approved' ? 'access.decision.approved' : 'access.decision.rejected'),
  });
}

export function decidedCard(locale: Locale, request: AccessRequest): AdaptiveCard {
  return card([textBlock(decidedLine(locale, request))]);
}

/** Which part of the member list the beheer card shows: the names searched for, and from which member on. */
export interface AdminView {
  /** The names searched for ("beheer Jansen"); buttons carry it, so the card comes back the same. */
  search?: string;
  /** The first member shown (0, MEMBERS_PER_PAGE, …). */
  offset?: number;
}

/**
 * The secretariaat's management card. It stays within Teams' budget at any number of members: at most
 * REQUESTS_ON_CARD open requests and MEMBERS_PER_PAGE members, a search box, and "Meer leden" for the next page.
 */
export function adminCard(
  locale: Locale,
  requests: AccessRequest[],
  members: Member[],
  organisationName: (id: string) => string,
  view: AdminView = {},
  who: { self?: PersonId; fromConfig?: (member: Member) => boolean } = {},
): AdaptiveCard {
  const search = (view.search ?? '').slice(0, SEARCH_LENGTH);
  const offset = Math.max(0, Math.min(view.offset ?? 0, Math.max(0, members.length - 1)));
  const keep = { ...(search ? { search } : {}), ...(offset ? { offset } : {}) };
  const body: CardElement[] = [
    heading(t(locale, 'admin.title')),
    {
      type: 'Input.Text',
      id: 'search',
      label: t(locale, 'admin.searchLabel'),
      placeholder: t(locale, 'admin.searchPlaceholder'),
      maxLength: SEARCH_LENGTH,
      ...(search ? { value: search } : {}),
    },
    actionSet([submit(t(locale, 'admin.searchButton'), { verb: 'adminSearch' })]),
    subheading(t(locale, 'admin.requests')),
  ];
  if (requests.length === 0) body.push(textBlock(t(locale, 'admin.noRequests'), { isSubtle: true }));
  for (const request of requests.slice(0, REQUESTS_ON_CARD)) {
    body.push({
      type: 'Container',
      separator: true,
      items: [
        textBlock(requestLine(locale, request, organisationName)),
        textBlock(formatDate(new Date(request.requestedAt), locale), { isSubtle: true, spacing: 'None', size: 'Small' }),
        actionSet(decisionButtons(locale, request, 'admin', keep)),
      ],
    });
  }
  if (requests.length > REQUESTS_ON_CARD) {
    body.push(textBlock(t(locale, 'admin.moreRequests', { count: requests.length - REQUESTS_ON_CARD }), { isSubtle: true }));
  }
  body.push(subheading(t(locale, search ? 'admin.membersFound' : 'admin.members', { count: members.length })));
  const page = members.slice(offset, offset + MEMBERS_PER_PAGE);
  page.forEach((member, index) => {
    const target = { tenantId: member.tenantId, aadObjectId: member.aadObjectId };
    const inputId = `role-${index}`;
    const name = clip(member.name || '?', NAME_ON_CARD);
    body.push({
      type: 'Container',
      separator: true,
      items: [
        textBlock(`**${literal(name)}**`),
        textBlock(`${t(locale, `role.${member.role}`)} · ${literal(organisationName(member.organisationId))}`, {
          isSubtle: true,
          spacing: 'None',
        }),
        ...(who.fromConfig?.(member) ? [textBlock(t(locale, 'admin.fromConfig'), { isSubtle: true, spacing: 'None', size: 'Small' })] : []),
        actionSet([
          {
            type: 'Action.ShowCard',
            // The button names the member: a screen reader reads it without the rows around it.
            title: t(locale, 'admin.changeRoleOf', { name }),
            card: {
              type: 'AdaptiveCard',
              body: [
                choiceSet(
                  inputId,
                  t(locale, 'access.role'),
                  ROLES.map((r) => ({ title: t(locale, `role.${r}`), value: r })),
                  { value: member.role },
                ),
              ],
              actions: [submit(t(locale, 'admin.changeRole'), { verb: 'changeRole', target, input: inputId, ...keep })],
            },
          },
          // Nobody removes themselves from here by accident, and removing someone else asks once more, by name.
          ...(who.self && samePerson(who.self, member)
            ? []
            : [
                {
                  type: 'Action.ShowCard',
                  title: t(locale, 'admin.removeOf', { name }),
                  card: {
                    type: 'AdaptiveCard',
                    body: [textBlock(t(locale, 'admin.removeConfirm', { name: literal(name) }))],
                    actions: [submit(t(locale, 'admin.removeYes', { name }), { verb: 'removeMember', target, ...keep }, { style: 'destructive' })],
                  },
                },
                {
                  // For a member who left: their personal data goes, their dilemmas stay without their name.
                  type: 'Action.ShowCard',
                  title: t(locale, 'admin.eraseOf', { name }),
                  card: {
                    type: 'AdaptiveCard',
                    body: [textBlock(t(locale, 'admin.eraseConfirm', { name: literal(name) }))],
                    actions: [submit(t(locale, 'admin.eraseYes', { name }), { verb: 'privacyEraseMember', target }, { style: 'destructive' })],
                  },
                },
              ]),
        ]),
      ],
    });
  });
  if (members.length > 0) {
    body.push(
      textBlock(t(locale, 'admin.shown', { from: offset + 1, to: offset + page.length, count: members.length }), { isSubtle: true, size: 'Small' }),
    );
  }
  const next = offset + MEMBERS_PER_PAGE;
  const paging: CardElement[] = [];
  if (offset > 0) paging.push(submit(t(locale, 'admin.previous'), { verb: 'adminPage', offset: Math.max(0, offset - MEMBERS_PER_PAGE), ...(search ? { search } : {}) }));
  if (next < members.length) paging.push(submit(t(locale, 'admin.more'), { verb: 'adminPage', offset: next, ...(search ? { search } : {}) }));
  return card(body, paging);
}
