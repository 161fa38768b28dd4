// The Playground file that `npm start -- --as <name>` writes, and the lines the launcher prints about people.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configAs, noticeLine, personalChatIdOf, readPlaygroundFile, typingLine, type PlaygroundPerson } from '../../scripts/playground';

const outDir = () => mkdtempSync(join(tmpdir(), 'bo-wonen-playground-file-'));

it('makes the chosen person the one typing, with their own personal chat', () => {
  const file = readPlaygroundFile(configAs('pieter', outDir()));
  expect(file.currentUser.name).toBe('Pieter de Graaf');
  expect(file.personalChat.id).toBe('personal-chat-pieter');
  // Marieke, who typed before, is one of the five others now; nobody is lost or doubled.
  const original = readPlaygroundFile();
  const names = (f: typeof file) => [f.currentUser, ...f.users].map((u) => u.name).sort();
  expect(names(file)).toEqual(names(original));
});

it('gives two people two different personal chats', () => {
  const asMarieke = readPlaygroundFile(configAs('marieke', outDir()));
  const asJoost = readPlaygroundFile(configAs('29:joost', outDir()));
  expect(asMarieke.currentUser.name).toBe('Marieke van Dalen');
  expect(asJoost.currentUser.name).toBe('Joost Verbeek');
  expect(asMarieke.personalChat.id).not.toBe(asJoost.personalChat.id);
  // The committed file already uses the chat of its own current user, so tests and npm start agree.
  expect(readPlaygroundFile().personalChat.id).toBe(personalChatIdOf(readPlaygroundFile().currentUser));
});

const people: PlaygroundPerson[] = [
  { name: 'Marieke van Dalen', role: 'wethouder', aadObjectId: 'a1', conversationId: 'personal-chat-marieke', typing: false, startAs: 'marieke' },
  { name: 'Pieter de Graaf', role: 'secretariaat', aadObjectId: 'a4', conversationId: 'personal-chat-pieter', typing: true, startAs: 'pieter' },
];

it('says who types, with their role', () => {
  expect(typingLine(people)).toBe('Je typt als Pieter de Graaf (secretariaat).');
});

it('names a person who got a message while someone else types, and stays quiet otherwise', () => {
  expect(noticeLine('personal-chat-marieke', people)).toBe(
    'Bericht voor Marieke van Dalen bewaard. Je ziet het als je start met: npm start -- --as marieke',
  );
  expect(noticeLine('personal-chat-pieter', people)).toBeUndefined();
  expect(noticeLine('group-chat-bo-wonen', people)).toBeUndefined();
});
