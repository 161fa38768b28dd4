// Text a person typed, shown literally in a card. Teams renders a markdown subset and the Playground a full
// markdown engine; escaping what either would interpret makes the text look the same in both.

const SPECIAL = /[\\`*_{}[\]()#+\-.!|~<>]/g;

/** Escapes markdown so the text shows exactly as typed (line breaks kept). */
export function literal(text: string): string {
  return text.replace(SPECIAL, (c) => `\\${c}`);
}

/** Cuts a text to `max` characters on a list card (whole on its own card), with an ellipsis when cut. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}
