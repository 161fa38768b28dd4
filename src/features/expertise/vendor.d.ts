// Types for the two text packages the expertise capability uses (neither ships its own types).
declare module 'snowball-stemmers' {
  export interface Stemmer {
    stem(word: string): string;
  }
  export function newStemmer(language: string): Stemmer;
  export function algorithms(): string[];
}

declare module 'stopword' {
  /** Dutch stop words. */
  export const nld: string[];
}
