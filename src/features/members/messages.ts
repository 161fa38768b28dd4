// What people read about members: Dutch (B1, default) and English. Keys are this capability's own.
import { defineMessages, translator } from '../../i18n';
import { refusals } from '../../errors';
import { field, type AuditSentences } from '../../core/audit';
import type { Locale, MessageKey } from '../../i18n';
import { ROLES } from './model';

const nl = {
  'menu.admin': 'Beheer',
  'access.title': 'Toegang aanvragen',
  'access.intro': 'Je staat nog niet op de lijst van BO Wonen. Vraag hier toegang aan. Het secretariaat bekijkt je aanvraag.',
  'access.organisation': 'Organisatie',
  'access.role': 'Functie',
  'access.chooseOrganisation': 'Kies je organisatie',
  'access.chooseRole': 'Kies je functie',
  'access.submit': 'Aanvraag versturen',
  'access.organisationMissing': 'Kies je organisatie.',
  'access.roleMissing': 'Kies je functie.',
  'access.sent': 'Bedankt. Je aanvraag is verstuurd naar het secretariaat. Je krijgt hier bericht.',
  'access.pending': 'Je aanvraag is nog in behandeling bij het secretariaat. Je krijgt hier bericht.',
  'access.approved': 'Goed nieuws: je hebt nu toegang tot BO Wonen. Typ "help" om te beginnen.',
  'access.rejected': 'Je aanvraag voor BO Wonen is niet goedgekeurd. Vragen? Neem contact op met het secretariaat.',
  'access.newRequest': 'Nieuwe aanvraag voor toegang',
  'access.requestLine': '{name} vraagt toegang als {role} bij {organisation}.',
  'access.approve': 'Goedkeuren',
  'access.reject': 'Afwijzen',
  'access.decided': 'De aanvraag van {name} is {decision}.',
  'access.decision.approved': 'goedgekeurd',
  'access.decision.rejected': 'afgewezen',
  'access.alreadyDecided': 'Deze aanvraag is al afgehandeld.',
  'admin.title': 'Beheer',
  'admin.requests': 'Open aanvragen',
  'admin.noRequests': 'Er zijn geen open aanvragen.',
  'admin.members': 'Leden ({count})',
  'admin.changeRole': 'Functie wijzigen',
  'admin.changeRoleOf': 'Functie van {name} wijzigen',
  'admin.removeOf': '{name} verwijderen',
  'admin.roleChanged': 'De functie van {name} is nu {role}.',
  'admin.personalOnly': 'Beheer doe je in je persoonlijke chat met BO Wonen. Dan ziet niet iedereen in dit gesprek de ledenlijst.',
  'admin.fromConfig': 'Staat in de instellingen van de app (BOOTSTRAP_ADMINS). Verwijder je deze persoon, dan komt die niet vanzelf terug.',
  'admin.removeConfirm': 'Weet je zeker dat je {name} uit BO Wonen wilt verwijderen? {name} kan dan niets meer in BO Wonen.',
  'admin.removeYes': 'Ja, verwijder {name}',
  'admin.eraseOf': 'Gegevens van {name} wissen',
  'admin.eraseConfirm': 'Is {name} vertrokken? Dan wissen we alle persoonlijke gegevens van {name}. Dilemma\'s en reacties blijven bestaan, zonder naam ("oud-lid"). Dit kun je niet terugdraaien.',
  'admin.eraseYes': 'Ja, wis de gegevens van {name}',
  'admin.removed': '{name} is verwijderd uit BO Wonen.',
  'admin.memberGone': 'Dit lid bestaat niet (meer).',
  'admin.lastAdmin': 'Dit kan niet: er moet minstens één lid van het secretariaat overblijven.',
  'admin.searchLabel': 'Zoek een lid op naam',
  'admin.searchPlaceholder': 'Bijvoorbeeld: Jansen',
  'admin.searchButton': 'Zoeken',
  'admin.membersFound': 'Gevonden leden ({count})',
  'admin.moreRequests': 'En nog {count} {count|aanvraag|aanvragen}. Beslis eerst over deze, dan zie je de volgende.',
  'admin.shown': 'Leden {from} tot en met {to} van {count}.',
  'admin.more': 'Meer leden',
  'admin.previous': 'Vorige leden',
  'privacy.member': 'Je profiel: naam, organisatie en functie',
  'privacy.accessRequest': 'Je aanvraag voor toegang',
  'audit.access.approved': '{who} heeft {subject} toegang gegeven als {role}.',
  'audit.access.rejected': '{who} heeft de aanvraag van {subject} afgewezen.',
  'audit.member.roleChanged': '{who} heeft de functie van {subject} gewijzigd van {from} in {to}.',
  'audit.member.removed': '{who} heeft {subject} verwijderd als lid.',
} as const;

const en: Record<keyof typeof nl, string> = {
  'menu.admin': 'Administration',
  'access.title': 'Request access',
  'access.intro': 'You are not on the BO Wonen list yet. Request access here. The secretariat will review your request.',
  'access.organisation': 'Organisation',
  'access.role': 'Role',
  'access.chooseOrganisation': 'Choose your organisation',
  'access.chooseRole': 'Choose your role',
  'access.submit': 'Send request',
  'access.organisationMissing': 'Choose your organisation.',
  'access.roleMissing': 'Choose your role.',
  'access.sent': 'Thank you. Your request has been sent to the secretariat. You will hear back here.',
  'access.pending': 'Your request is still with the secretariat. You will hear back here.',
  'access.approved': 'Good news: you now have access to BO Wonen. Type "help" to start.',
  'access.rejected': 'Your request for BO Wonen was not approved. Questions? Contact the secretariat.',
  'access.newRequest': 'New access request',
  'access.requestLine': '{name} asks for access as {role} at {organisation}.',
  'access.approve': 'Approve',
  'access.reject': 'Reject',
  'access.decided': 'The request of {name} has been {decision}.',
  'access.decision.approved': 'approved',
  'access.decision.rejected': 'rejected',
  'access.alreadyDecided': 'This request has already been handled.',
  'admin.title': 'Administration',
  'admin.requests': 'Open requests',
  'admin.noRequests': 'There are no open requests.',
  'admin.members': 'Members ({count})',
  'admin.changeRole': 'Change role',
  'admin.changeRoleOf': 'Change the role of {name}',
  'admin.removeOf': 'Remove {name}',
  'admin.roleChanged': 'The role of {name} is now {role}.',
  'admin.personalOnly': 'Use administration in your personal chat with BO Wonen, so not everyone in this conversation sees the member list.',
  'admin.fromConfig': 'Named in the app settings (BOOTSTRAP_ADMINS). If you remove this person, they do not come back by themselves.',
  'admin.removeConfirm': 'Are you sure you want to remove {name} from BO Wonen? {name} will no longer be able to use BO Wonen.',
  'admin.removeYes': 'Yes, remove {name}',
  'admin.eraseOf': 'Erase the data of {name}',
  'admin.eraseConfirm': 'Has {name} left? Then we erase all personal data of {name}. Dilemmas and responses stay, without a name ("former member"). This cannot be undone.',
  'admin.eraseYes': 'Yes, erase the data of {name}',
  'admin.removed': '{name} has been removed from BO Wonen.',
  'admin.memberGone': 'This member does not exist (any more).',
  'admin.lastAdmin': 'Not possible: at least one secretariat member must remain.',
  'admin.searchLabel': 'Find a member by name',
  'admin.searchPlaceholder': 'For example: Jansen',
  'admin.searchButton': 'Search',
  'admin.membersFound': 'Members found ({count})',
  'admin.moreRequests': 'And {count} more {count|request|requests}. Decide on these first, then you see the next ones.',
  'admin.shown': 'Members {from} to {to} of {count}.',
  'admin.more': 'More members',
  'admin.previous': 'Previous members',
  'privacy.member': 'Your profile: name, organisation and role',
  'privacy.accessRequest': 'Your request for access',
  'audit.access.approved': '{who} gave {subject} access as {role}.',
  'audit.access.rejected': '{who} rejected the request of {subject}.',
  'audit.member.roleChanged': '{who} changed the role of {subject} from {from} to {to}.',
  'audit.member.removed': '{who} removed {subject} as a member.',
};

export const messages = defineMessages({ nl, en });
export const t = translator(messages);

/** Every "no" of the members capability, with its sentence. */
export const refuse = refusals('members', { secretariaatOnly: 'error.notAllowed', lastSecretariaat: 'admin.lastAdmin' }, t);

/** The logboek's sentences for what the secretariaat does with members. */
export const auditSentences: AuditSentences = {
  'access.approved': ({ locale, who, subject, after }) => t(locale, 'audit.access.approved', { who, subject, role: roleWord(locale, field(after, 'role')) }),
  'access.rejected': ({ locale, who, subject }) => t(locale, 'audit.access.rejected', { who, subject }),
  'member.roleChanged': ({ locale, who, subject, before, after }) =>
    t(locale, 'audit.member.roleChanged', { who, subject, from: roleWord(locale, field(before, 'role')), to: roleWord(locale, field(after, 'role')) }),
  'member.removed': ({ locale, who, subject }) => t(locale, 'audit.member.removed', { who, subject }),
};

function roleWord(locale: Locale, role: string): string {
  return (ROLES as readonly string[]).includes(role) ? t(locale, `role.${role}` as MessageKey) : role;
}
