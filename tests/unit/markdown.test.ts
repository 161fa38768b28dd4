// User text in cards shows as typed: in Teams (a markdown subset) and in the Playground (full markdown).
import { clip, literal } from '../../src/cards/markdown';

it('escapes what Teams would format: bold, italic, lists and links', () => {
  expect(literal('**vet** en _schuin_')).toBe('\\*\\*vet\\*\\* en \\_schuin\\_');
  expect(literal('- punt\n- twee')).toBe('\\- punt\n\n\\- twee');
  expect(literal('1. eerste\n2) tweede')).toBe('1\\. eerste\n\n2\\) tweede');
  expect(literal('zie [de site](https://example.org)')).toBe('zie \\[de site](https://example.org)');
});

it('escapes what only the full markdown of the Playground would format', () => {
  expect(literal('# kop')).toBe('\\# kop');
  expect(literal('> citaat')).toBe('\\> citaat');
  expect(literal('a `code`')).toBe('a \\`code\\`');
  expect(literal('~~weg~~')).toBe('\\~\\~weg\\~\\~');
  expect(literal('<b>vet</b>')).toBe('\\<b>vet\\</b>');
  expect(literal('&amp;')).toBe('\\&amp;');
  expect(literal('Titel\n===')).toBe('Titel\n\n\\===');
  expect(literal('    vier spaties')).toBe('vier spaties');
  expect(literal('a\\*b')).toBe('a\\\\\\*b');
});

it('leaves ordinary text alone, so Teams on a phone shows no stray backslashes', () => {
  const plain = 'Gooi & Vecht (regio): 50+ woningen! Start 2026-01, 3 < 4, prijs €900.07 — zie https://example.org/plan?id=1.';
  expect(literal(plain)).toBe(plain);
});

it('keeps the lines a person typed apart (one line break is a space in markdown)', () => {
  expect(literal('regel 1\nregel 2\r\n\r\n\r\nregel 3')).toBe('regel 1\n\nregel 2\n\nregel 3');
});

it('cuts a long text on a list card with an ellipsis', () => {
  expect(clip('abcdefghij', 5)).toBe('abcd…');
  expect(clip('abc', 5)).toBe('abc');
});
