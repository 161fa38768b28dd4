// Small text helpers shared by features.
import { z } from 'zod';

/** Lower case without accents, so "Participatie" finds "participátie" and back. */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Edit distance where a swap of two neighbours counts as one edit ("voortgnag" is 1 from "voortgang"). */
export function typoDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push([i]);
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        rows[0]!.push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]!.push(d);
    }
  }
  return rows[a.length]![b.length]!;
}

/**
 * Characters a person cannot type in a Teams form but a forged submit can send, which garble a card or flip
 * its text: control characters (C0 but tab and line breaks, DEL, C1), bidirectional overrides and isolates
 * (U+202A–U+202E, U+2066–U+2069), direction marks and the BOM.
 */
const UNSEEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** Typed text without the characters above; every kind of line break becomes "\n". */
export function withoutControls(text: string): string {
  return text.replace(/\r\n?|[\u2028\u2029\u0085]/g, '\n').replace(UNSEEN, '');
}

/**
 * A text input of a card submit: strings come out cleaned (above), numbers as text, anything else as "" (a form
 * can always be shown again). Every capability reads typed text through this before it is checked or saved.
 */
export const typedText = z.unknown().transform((v) => (typeof v === 'string' ? withoutControls(v) : typeof v === 'number' ? String(v) : ''));

/**
 * A title to put between double quotes in a sentence: its own double quotes become single ones, so the
 * sentence never has quotes inside quotes (`aangemeld voor "Praktijkleergang ‘Samenwerken…’ 1"`).
 */
export function quotable(title: string): string {
  return title.replace(/["“”„]([^"“”„]*)["“”„]/g, '‘$1’').replace(/["“”„]/g, '’');
}
