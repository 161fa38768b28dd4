// Text a person typed, shown literally in a card. Teams renders a markdown subset in TextBlocks and facts
// (bold and italic with * or _, lists with "- " or "1. ", links [text](url); Microsoft, "Format cards in
// Teams"); the Playground renders full markdown (headings, quotes, code, HTML-like tags too). Teams on mobile
// shows a backslash before characters it does not treat as special, so `literal` escapes only what either
// renderer would turn into formatting, and only where it would: the same text shows the same in both.

/** Characters that make emphasis, links, code or strikethrough anywhere in a line. */
const INLINE = /[*_`[]|~(?=~)|(?<=~)~|\\(?=[!-/:-@[-`{-~])|<(?=[A-Za-z/!?])|&(?=#?[A-Za-z0-9]+;)/g;
/** What a line may start with to become a list, heading, quote or rule. */
const LINE_START = /^()([-+]\s|#|>|=+\s*$|-+\s*$|(\d{1,9})([.)])\s)/;

/** Escapes markdown so the text shows exactly as typed, with its line breaks. */
export function literal(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => {
      // Leading spaces mean nothing to Teams, but four of them make a code block in full markdown.
      const inline = line.trimStart().replace(INLINE, (match) => `\\${match}`);
      return inline.replace(LINE_START, (_all, indent: string, marker: string, digits?: string, dot?: string) =>
        digits !== undefined ? `${indent}${digits}\\${dot}${marker.slice(digits.length + 1)}` : `${indent}\\${marker}`,
      );
    })
    .filter((line, i, lines) => line.trim() !== '' || (i > 0 && lines[i - 1]!.trim() !== ''))
    // One line break in markdown is a space: an empty line between keeps the person's lines apart in both.
    .join('\n\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Cuts a text to `max` characters on a list card (whole on its own card), with an ellipsis when cut. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}

/**
 * A link to a document named by what a person recognises: the file name in its address ("verslag-bo.pdf"),
 * else the site ("docs.example.nl"), never a bare number. A screen reader reads this name too.
 */
export function documentName(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return clip(url, 60);
  }
  const site = parsed.hostname.replace(/^www\./, '');
  const last = parsed.pathname.split('/').filter(Boolean).pop();
  let file = '';
  if (last) {
    try {
      file = decodeURIComponent(last);
    } catch {
      file = last;
    }
  }
  return clip(file ? `${file} (${site})` : site, 80);
}

/** A markdown link `[name](url)` whose name shows literally and whose address survives markdown. */
export function documentLink(url: string): string {
  // Brackets would end the link's text early; they say nothing in a file name.
  const name = literal(documentName(url).replace(/[[\]]/g, ' ').replace(/\s+/g, ' ').trim());
  // encodeURIComponent leaves brackets as they are: write them as %28 and %29 by hand.
  const address = url.replace(/[()\s<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return `[${name}](${address})`;
}
