// Small text helpers shared by features.

/** Lower case without accents, so "Participatie" finds "participátie" and back. */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}
