// Checks a card the way a Teams client would: it must parse, validate, stay at schema 1.5 and under ~80 KB.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AC = require('adaptivecards/dist/adaptivecards.js') as {
  AdaptiveCard: new () => { parse(json: unknown, ctx: unknown): void; validateProperties(): { validationEvents: Array<{ message: string }> } };
  SerializationContext: new () => { eventCount: number; getEventAt(i: number): { message: string } };
};

export const MAX_MESSAGE_BYTES = 80 * 1024;

export function cardProblems(card: unknown): string[] {
  const problems: string[] = [];
  const json = card as { version?: string; type?: string };
  if (json.type !== 'AdaptiveCard') problems.push('not an AdaptiveCard');
  if (!json.version || Number(json.version) > 1.5) problems.push(`version ${json.version} is above what Teams renders (1.5)`);
  const bytes = Buffer.byteLength(JSON.stringify(card));
  if (bytes > MAX_MESSAGE_BYTES) problems.push(`card is ${bytes} bytes, over ${MAX_MESSAGE_BYTES}`);
  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  parsed.parse(card, context);
  for (let i = 0; i < context.eventCount; i++) problems.push(`parse: ${context.getEventAt(i).message}`);
  for (const event of parsed.validateProperties().validationEvents) problems.push(`validate: ${event.message}`);
  return problems;
}
