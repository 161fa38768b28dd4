// English, for people whose Teams locale is English. Same keys as nl (the compiler and a test check it).
import type { MessageKey } from './nl';

export const en: Record<MessageKey, string> = {
  'app.name': 'BO Wonen',
  'welcome.title': 'Welcome to BO Wonen',
  'welcome.intro': 'Municipalities and housing corporations in Gooi en Vechtstreek work together here on affordable homes. Choose what you want to do.',
  'welcome.hello': 'Hello {name}. You are {role} at {organisation}.',
  'welcome.tip': 'Tip: type "help" to see this menu again.',
  'welcome.nothingYet': 'There are no buttons for your role yet. The secretariat will let you know when that changes.',
  'menu.help': 'Menu',
  'install.welcome': 'Hello! I am BO Wonen. Type "help" to see what I can do.',
  'unknown.command': 'I do not understand "{command}". Choose what you want to do from the menu.',
  'refused.tenant': 'Sorry, BO Wonen is only for the members of the BO Wonen of Gooi en Vechtstreek.',
  'error.apology': 'Sorry, something went wrong. Please try again later. If it keeps happening, give this code to the secretariat: {code}.',
  'error.invalidInput': 'This form is not valid or has expired. Open it again from the menu.',
  'error.notAllowed': 'Only the secretariat may do this.',
  'error.notFound': 'This does not exist (any more). Open the menu again.',
  'error.tooLong': 'Your message is too long. Keep it under {max} characters.',
  'role.wethouder': 'alderman (wethouder)',
  'role.directeur-bestuurder': 'director (directeur-bestuurder)',
  'role.secretariaat': 'secretariat',
  'role.gespreksleider': 'facilitator (gespreksleider)',
  'access.personalOnly': 'You are not on the BO Wonen list yet. Open a personal chat with BO Wonen and request access there.',
  'access.askFirst': 'You are not on the BO Wonen list yet. Type "help" in this chat to request access.',
  'refused.noIdentity': 'Teams did not tell us who you are. Open BO Wonen in Teams with your work account and try again.',
  'error.unknownButton': 'This button does not work (any more). Type "help" for the menu.',
};
