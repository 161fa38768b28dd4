// The words a dilemma is found by: folded (no case, no accents), without the small words every text has.
// Pure: the store indexes what `indexWords` returns, and a search looks up what `searchWords` returns.
import { fold } from '../../text';

/** Words too common to find anything by (Dutch and English); they are neither indexed nor searched. */
const STOPWORDS = new Set(
  (
    'aan al alle als bij dan dat de deze die dit door een en er geen het hier hij hoe ik in is je kan maar met meer na naar niet nog of om ook op over te tot uit van voor wat we wij wel wordt zal ze zij zijn zo' +
    ' a an and are as at be by for from has have in is it not of on or that the this to was we with'
  ).split(' '),
);

/** At most this many different words per dilemma are indexed (a long description has many). */
const MAX_INDEXED_WORDS = 200;
/** A word longer than this is cut: nobody types it, and keys stay short. */
const MAX_WORD = 40;

function tokens(text: string): string[] {
  return fold(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= 2 && !STOPWORDS.has(w))
    .map((w) => w.slice(0, MAX_WORD));
}

/** The distinct words of a title and description: title words first, so they are always in. */
export function indexWords(title: string, description: string): string[] {
  return [...new Set([...tokens(title), ...tokens(description)])].slice(0, MAX_INDEXED_WORDS);
}

/** The words of a search, each a prefix ("woning" finds "woningbouw"); at most five. */
export function searchWords(query: string): string[] {
  return [...new Set(tokens(query))].slice(0, 5);
}
