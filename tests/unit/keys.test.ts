import { decodeKey, encodeKey, personKey } from '../../src/storage/keys';

it('removes every character Table Storage forbids in keys, and gets the original back', () => {
  const nasty = 'msteams/28:bot\\conversations#19:abc?x=1%\u0001\u007f einde';
  const encoded = encodeKey(nasty);
  expect(encoded).not.toMatch(/[/\\#?\u0000-\u001f\u007f-\u009f]/);
  expect(decodeKey(encoded)).toBe(nasty);
});

it('keeps ordinary ids readable', () => {
  expect(encodeKey('a:personal-1')).toBe('a:personal-1');
});

it('gives one key per person whatever the case of the ids', () => {
  expect(personKey('ABC', 'DEF')).toBe(personKey('abc', 'def'));
  expect(personKey('t1', 'x')).not.toBe(personKey('t2', 'x'));
});
