// Checks a card the way a Teams client would: it must parse, validate, stay at schema 1.5, and the message that
// carries it must fit the budget counted as Teams counts it (UTF-16 of the whole activity).
import { MAX_PRIMARY_ACTIONS, MESSAGE_BUDGET_BYTES, utf16Bytes } from '../../src/cards/budget';
import type { AdaptiveCard } from '../../src/cards/adaptive';
import { cardActivity } from '../../src/turn';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AC = require('adaptivecards/dist/adaptivecards.js') as {
  AdaptiveCard: new () => { parse(json: unknown, ctx: unknown): void; validateProperties(): { validationEvents: Array<{ message: string }> } };
  SerializationContext: new () => { eventCount: number; getEventAt(i: number): { message: string } };
};

export function cardProblems(card: unknown): string[] {
  const problems: string[] = [];
  const json = card as { version?: string; type?: string };
  if (json.type !== 'AdaptiveCard') problems.push('not an AdaptiveCard');
  if (!json.version || Number(json.version) > 1.5) problems.push(`version ${json.version} is above what Teams renders (1.5)`);
  const bytes = utf16Bytes(cardActivity(card as AdaptiveCard));
  if (bytes > MESSAGE_BUDGET_BYTES) problems.push(`message is ${bytes} bytes UTF-16, over ${MESSAGE_BUDGET_BYTES}`);
  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  parsed.parse(card, context);
  for (let i = 0; i < context.eventCount; i++) problems.push(`parse: ${context.getEventAt(i).message}`);
  for (const event of parsed.validateProperties().validationEvents) problems.push(`validate: ${event.message}`);
  return problems;
}

/**
 * Every set of actions with more than Teams shows (the rest hide behind "…"): the card's own actions, each
 * ActionSet, and inside the cards that Action.ShowCard opens, at any depth.
 */
export function actionSetProblems(card: unknown): string[] {
  const problems: string[] = [];
  const check = (actions: unknown, where: string) => {
    if (Array.isArray(actions) && actions.length > MAX_PRIMARY_ACTIONS) problems.push(`${where} has ${actions.length} actions, over ${MAX_PRIMARY_ACTIONS}`);
  };
  const walk = (node: unknown, where: string): void => {
    if (Array.isArray(node)) return node.forEach((child, i) => walk(child, `${where}[${i}]`));
    if (!node || typeof node !== 'object') return;
    const element = node as Record<string, unknown>;
    if (element.type === 'AdaptiveCard') check(element.actions, `${where}.actions`);
    if (element.type === 'ActionSet') check(element.actions, `${where} (ActionSet)`);
    for (const [key, value] of Object.entries(element)) if (typeof value === 'object') walk(value, `${where}.${key}`);
  };
  walk(card, 'card');
  return problems;
}
