// Dutch (default): the messages of the core (menu, errors, roles). B1: short sentences, common words.
// Each capability keeps its own messages in its folder (messages.ts). Placeholders look like {name}.
export const nl = {
  'app.name': 'BO Wonen',
  'welcome.title': 'Welkom bij BO Wonen',
  'welcome.intro': 'Hier werken gemeenten en corporaties in Gooi en Vechtstreek samen aan betaalbare woningen. Kies hieronder wat je wilt doen.',
  'welcome.hello': 'Hallo {name}. Je bent {role} bij {organisation}.',
  'welcome.tip': 'Tip: typ "hulp" om dit menu weer te zien.',
  'welcome.nothingYet': 'Voor jouw functie zijn er nog geen knoppen. Het secretariaat laat het je weten als dat verandert.',
  'menu.help': 'Menu',
  'install.welcome': 'Hallo! Ik ben BO Wonen. Typ "hulp" om te zien wat ik kan.',
  'unknown.command': 'Dat begrijp ik niet: "{command}". Kies in het menu wat je wilt doen.',
  'refused.tenant': 'Sorry, BO Wonen is alleen voor de deelnemers aan het BO Wonen van Gooi en Vechtstreek.',
  'error.apology': 'Sorry, er ging iets mis. Probeer het later nog eens. Blijft het misgaan? Geef dan deze code door aan het secretariaat: {code}.',
  'error.invalidInput': 'Dit formulier klopt niet of is verlopen. Open het opnieuw via het menu.',
  'error.notAllowed': 'Dit mag alleen het secretariaat.',
  'error.notFound': 'Dit bestaat niet (meer). Open het menu opnieuw.',
  'error.tooLong': 'Je bericht is te lang. Houd het korter dan {max} tekens.',
  'role.wethouder': 'wethouder',
  'role.directeur-bestuurder': 'directeur-bestuurder',
  'role.secretariaat': 'secretariaat',
  'role.gespreksleider': 'gespreksleider',
  'access.personalOnly': 'Je staat nog niet op de lijst van BO Wonen. Open een persoonlijke chat met BO Wonen en vraag daar toegang aan.',
  'access.askFirst': 'Je staat nog niet op de lijst van BO Wonen. Typ "hulp" in deze chat om toegang te vragen.',
  'refused.noIdentity': 'Teams gaf niet mee wie je bent. Open BO Wonen in Teams met je werkaccount en probeer het opnieuw.',
  'error.unknownButton': 'Deze knop werkt niet (meer). Typ "hulp" voor het menu.',
} as const;

export type MessageKey = keyof typeof nl;
