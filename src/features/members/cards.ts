// Cards for access requests and the secretariaat's management view. Pure functions of data and locale.
import { formatDate, type Locale } from '../../i18n';
import { t } from './messages';
import {
  actionSet,
  card,
  choiceSet,
  fieldError,
  heading,
  submit,
  subheading,
  textBlock,
  type AdaptiveCard,
  type CardElement,
} from '../../cards/adaptive';
import { ROLES, type AccessRequest, type Member, type Organisation } from './model';
import { samePerson, type PersonId } from '../../identity';

// A card stays well under Teams' ~80 KB limit with this many member rows.
// Each member row carries three small forms (role, remove, erase): 25 keep the card well under 80 KB.
export const MEMBERS_ON_CARD = 25;

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
    name: request.name || '?',
    role: t(locale, `role.${request.role}`),
    organisation: organisationName(request.organisationId),
  });
}

function decisionButtons(locale: Locale, request: AccessRequest, from: 'notice' | 'admin', search = ''): CardElement[] {
  const target = { tenantId: request.tenantId, aadObjectId: request.aadObjectId };
  const extra = from === 'admin' && search ? { search } : {};
  return [
    submit(t(locale, 'access.approve'), { verb: 'decideAccess', decision: 'approved', target, from, ...extra }, { style: 'positive' }),
    submit(t(locale, 'access.reject'), { verb: 'decideAccess', decision: 'rejected', target, from, ...extra }, { style: 'destructive' }),
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
    name: request.name || '?',
    decision: t(locale, request.status === 'approved' ? 'access.decision.approved' : 'access.decision.rejected'),
  });
}

export function decidedCard(locale: Locale, request: AccessRequest): AdaptiveCard {
  return card([textBlock(decidedLine(locale, request))]);
}

export function adminCard(
  locale: Locale,
  requests: AccessRequest[],
  members: Member[],
  organisationName: (id: string) => string,
  /** The names searched for ("beheer Jansen"); buttons carry it, so the card comes back the same. */
  search = '',
  who: { self?: PersonId; fromConfig?: (member: Member) => boolean } = {},
): AdaptiveCard {
  const body: CardElement[] = [heading(t(locale, 'admin.title')), subheading(t(locale, 'admin.requests'))];
  const keep = search ? { search } : {};
  if (requests.length === 0) body.push(textBlock(t(locale, 'admin.noRequests'), { isSubtle: true }));
  for (const request of requests) {
    body.push({
      type: 'Container',
      separator: true,
      items: [
        textBlock(requestLine(locale, request, organisationName)),
        textBlock(formatDate(new Date(request.requestedAt), locale), { isSubtle: true, spacing: 'None', size: 'Small' }),
        actionSet(decisionButtons(locale, request, 'admin', search)),
      ],
    });
  }
  body.push(subheading(t(locale, 'admin.members', { count: members.length })));
  members.slice(0, MEMBERS_ON_CARD).forEach((member, index) => {
    const target = { tenantId: member.tenantId, aadObjectId: member.aadObjectId };
    const inputId = `role-${index}`;
    body.push({
      type: 'Container',
      separator: true,
      items: [
        textBlock(`**${member.name || '?'}**`),
        textBlock(`${t(locale, `role.${member.role}`)} · ${organisationName(member.organisationId)}`, {
          isSubtle: true,
          spacing: 'None',
        }),
        ...(who.fromConfig?.(member) ? [textBlock(t(locale, 'admin.fromConfig'), { isSubtle: true, spacing: 'None', size: 'Small' })] : []),
        actionSet([
          {
            type: 'Action.ShowCard',
            // The button names the member: a screen reader reads it without the rows around it.
            title: t(locale, 'admin.changeRoleOf', { name: member.name || '?' }),
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
                  title: t(locale, 'admin.removeOf', { name: member.name || '?' }),
                  card: {
                    type: 'AdaptiveCard',
                    body: [textBlock(t(locale, 'admin.removeConfirm', { name: member.name || '?' }))],
                    actions: [
                      submit(t(locale, 'admin.removeYes', { name: member.name || '?' }), { verb: 'removeMember', target, ...keep }, { style: 'destructive' }),
                    ],
                  },
                },
                {
                  // For a member who left: their personal data goes, their dilemmas stay without their name.
                  type: 'Action.ShowCard',
                  title: t(locale, 'admin.erase'),
                  card: {
                    type: 'AdaptiveCard',
                    body: [textBlock(t(locale, 'admin.eraseConfirm', { name: member.name || '?' }))],
                    actions: [
                      submit(t(locale, 'admin.eraseYes', { name: member.name || '?' }), { verb: 'privacyEraseMember', target }, { style: 'destructive' }),
                    ],
                  },
                },
              ]),
        ]),
      ],
    });
  });
  if (members.length > MEMBERS_ON_CARD) {
    body.push(textBlock(t(locale, 'admin.moreMembers', { count: members.length - MEMBERS_ON_CARD }), { isSubtle: true }));
    body.push(textBlock(t(locale, 'admin.search'), { isSubtle: true }));
  }
  return card(body);
}
