// Small building blocks for Adaptive Cards 1.5 (the highest version Teams renders). Pure JSON, no Teams types.

export type CardElement = Record<string, unknown>;
export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.5';
  body: CardElement[];
  actions?: CardElement[];
  msteams?: Record<string, unknown>;
  [key: string]: unknown;
}

export function card(body: CardElement[], actions: CardElement[] = []): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    ...(actions.length ? { actions } : {}),
    msteams: { width: 'Full' },
  };
}

export const heading = (text: string): CardElement => ({
  type: 'TextBlock',
  text,
  size: 'Large',
  weight: 'Bolder',
  wrap: true,
  style: 'heading',
});

export const subheading = (text: string): CardElement => ({
  type: 'TextBlock',
  text,
  size: 'Medium',
  weight: 'Bolder',
  wrap: true,
  spacing: 'Medium',
});

export const textBlock = (text: string, extra: CardElement = {}): CardElement => ({ type: 'TextBlock', text, wrap: true, ...extra });

/** A red line under a field that says what is wrong with it. */
export const fieldError = (text: string, id: string): CardElement => ({
  type: 'TextBlock',
  id: `${id}-error`,
  text,
  color: 'Attention',
  wrap: true,
  spacing: 'None',
});

export const submit = (title: string, data: Record<string, unknown>, extra: CardElement = {}): CardElement => ({
  type: 'Action.Submit',
  title,
  data,
  ...extra,
});

const ROW_NAME_MAX = 50;

/**
 * The name of a button repeated per row ("Aanmelden" under each session): its word and the row's item, as
 * "Aanmelden: Samenwerken in de wijk". Give it as the button's tooltip: Teams makes that the button's HTML
 * title, which a screen reader reads with the word, so ten "Aanmelden" buttons can be told apart. The item is
 * cut short, because the tooltip adds to every row's bytes.
 */
export function rowName(title: string, item: string): { tooltip: string } {
  const short = item.length <= ROW_NAME_MAX ? item : `${item.slice(0, ROW_NAME_MAX - 1).trimEnd()}…`;
  return { tooltip: `${title}: ${short}` };
}

/** A button that runs a chat command, so no one needs to remember the words. */
export const commandButton = (title: string, command: string): CardElement => submit(title, { verb: 'command', command });

export const actionSet = (actions: CardElement[], extra: CardElement = {}): CardElement => ({ type: 'ActionSet', actions, ...extra });

export const choiceSet = (
  id: string,
  label: string,
  choices: Array<{ title: string; value: string }>,
  extra: CardElement = {},
): CardElement => ({ type: 'Input.ChoiceSet', id, label, style: 'compact', choices, ...extra });

/** Plain-text fallback that Teams shows in notifications and the chat list instead of "Sent a card". */
export function summaryOf(c: AdaptiveCard): string {
  const first = c.body.find((e) => e.type === 'TextBlock' && typeof e.text === 'string');
  return (first?.text as string | undefined) ?? '';
}
