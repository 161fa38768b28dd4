// The welcome card (the menu) and the hint for words the bot does not know.
import { t, type Locale } from '../i18n';
import { MENU_GROUPS, type MenuItem } from '../capability';
import type { Role } from '../identity';
import { actionSet, card, commandButton, heading, subheading, textBlock, type AdaptiveCard, type CardElement } from './adaptive';
import { MAX_PRIMARY_ACTIONS } from './budget';

interface Greeting {
  name: string;
  role: string;
  organisation: string;
}

/**
 * The buttons come in one set per job, each under a heading, so no set holds more than Teams shows: every
 * role sees all its buttons without opening "…".
 */
export function welcomeCard(locale: Locale, items: MenuItem[], role: Role, greeting?: Greeting): AdaptiveCard {
  const visible = items.filter((item) => !item.roles || item.roles.includes(role));
  const sets: CardElement[] = [];
  for (const group of MENU_GROUPS) {
    const inGroup = visible.filter((item) => (item.group ?? 'more') === group);
    for (let start = 0; start < inGroup.length; start += MAX_PRIMARY_ACTIONS) {
      if (start === 0) sets.push(subheading(t(locale, `welcome.group.${group}`)));
      sets.push(actionSet(inGroup.slice(start, start + MAX_PRIMARY_ACTIONS).map((item) => commandButton(item.label(locale), item.command))));
    }
  }
  return card([
    heading(t(locale, 'welcome.title')),
    ...(greeting ? [textBlock(t(locale, 'welcome.hello', { ...greeting }))] : []),
    textBlock(t(locale, visible.length ? 'welcome.intro' : 'welcome.nothingYet')),
    ...sets,
    textBlock(t(locale, 'welcome.tip'), { isSubtle: true, size: 'Small', spacing: 'Large' }),
  ]);
}

/** `suggestions`: command words the text was close to; each gets a button ("Bedoel je sessies?"). */
export function unknownCommandCard(locale: Locale, command: string, suggestions: string[] = []): AdaptiveCard {
  // Only a short, single-line echo of what was typed, so a long paste does not fill the chat.
  const shown = command.replace(/\s+/g, ' ').trim().slice(0, 40) + (command.length > 40 ? '…' : '');
  if (suggestions.length) {
    const meant = suggestions.slice(0, 5);
    return card(
      [textBlock(t(locale, 'unknown.didYouMean', { commands: meant.join(t(locale, 'unknown.or')) }))],
      [...meant.map((word) => commandButton(word, word)), commandButton(t(locale, 'menu.help'), 'help')],
    );
  }
  return card([textBlock(t(locale, 'unknown.command', { command: shown }))], [commandButton(t(locale, 'menu.help'), 'help')]);
}
