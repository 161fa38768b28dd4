// Chat commands: the first word picks the handler; a menu button can run the same command.
import type { Command } from '../capability';
import { fold, typoDistance } from '../text';

/** Longest chat text the bot reads; Teams allows about 28 KB, a command is a few words. */
export const MAX_COMMAND_LENGTH = 2_000;

/** The longest command phrase, in words ("verwijder mijn gegevens"). */
const MAX_COMMAND_WORDS = 4;

/** Words that open the menu; questions about the bot itself ("wat kan ik hier?") do too. */
const HELP_WORDS = ['help', 'hulp', 'menu', 'start', '?'];
const HELP_QUESTION =
  /^(wat kan (ik|je|jij|bo wonen)|hoe werkt|waar begin|wat doe (ik|je)|help me|hulp nodig|ik snap het niet|what can (i|you)|how does|help me)\b/;

interface Routed {
  command: Command;
  args: string;
}

/** A typed word compared without case, accents or apostrophes: "Dilemma’s" and "dilemmas" are one word. */
const bare = (word: string) => fold(word).replace(/'/g, '');

/** Typos forgiven in a command word: one from 4 letters, two from 9 (as in plan names, a bit stricter). */
const allowedTypos = (word: string) => (word.length >= 9 ? 2 : word.length >= 4 ? 1 : 0);

export class CommandRouter {
  private readonly byWord = new Map<string, Command>();

  constructor(
    commands: readonly Command[],
    private readonly help: Command,
  ) {
    for (const word of HELP_WORDS) this.byWord.set(word, help);
    for (const command of commands) {
      for (const word of command.words) {
        if (word.split(' ').length > MAX_COMMAND_WORDS) throw new Error(`The command "${word}" has more than ${MAX_COMMAND_WORDS} words`);
        if (this.byWord.has(word)) throw new Error(`Two capabilities answer the command "${word}"`);
        this.byWord.set(word, command);
      }
    }
  }

  /** Text as a person typed it, without mentions, smart quotes and extra spaces. */
  static normalise(text: string): string {
    // Mentions Teams did not mark as entities still arrive as <at>…</at>: they are not part of the command.
    return text.replace(/[’‘]/g, "'").replace(/<at>[^<]*<\/at>/gi, ' ').trim().replace(/\s+/g, ' ');
  }

  /**
   * The command for a normalised text, or undefined when the bot does not know it. Commands may be several
   * words ("mijn gegevens"): the longest one that the text starts with wins, the rest are its arguments.
   */
  route(normalised: string): Routed | undefined {
    const words = normalised.split(' ');
    for (let n = Math.min(MAX_COMMAND_WORDS, words.length); n >= 1; n--) {
      const command = this.byWord.get(words.slice(0, n).join(' ').toLowerCase());
      if (command) return { command, args: words.slice(n).join(' ') };
    }
    const whole = normalised.toLowerCase().replace(/[?!.]+$/, '');
    const byWhole = this.byWord.get(whole);
    if (byWhole) return { command: byWhole, args: '' };
    if (HELP_QUESTION.test(whole)) return { command: this.help, args: '' };
    const close = this.closest(words);
    if (close.length === 1) return { command: close[0]!.command, args: words.slice(close[0]!.length).join(' ') };
    return undefined;
  }

  /**
   * The command words a mistyped text most likely meant ("sesies": sessies), one per command, for a
   * "Bedoel je …?" question when `route` could not pick one. Empty when nothing is close.
   */
  suggest(normalised: string): string[] {
    return this.closest(normalised.split(' ')).map((c) => c.word);
  }

  /**
   * The command phrases nearest to how the text starts, within the typos allowed, one per command (the
   * longest phrase first, so "mijn sesies" is "mijn sessies", not "mijn" plus arguments).
   */
  private closest(words: string[]): Array<{ command: Command; word: string; length: number }> {
    for (let n = Math.min(MAX_COMMAND_WORDS, words.length); n >= 1; n--) {
      const typed = bare(words.slice(0, n).join(' '));
      const max = allowedTypos(typed);
      if (max === 0) continue;
      let best = max + 1;
      let found: Array<{ command: Command; word: string; length: number }> = [];
      for (const [word, command] of this.byWord) {
        if (word.split(' ').length !== n) continue;
        const d = typoDistance(typed, bare(word));
        if (d > best) continue;
        if (d < best) found = [];
        best = d;
        if (!found.some((f) => f.command === command)) found.push({ command, word, length: n });
      }
      if (found.length) return found;
    }
    return [];
  }
}
