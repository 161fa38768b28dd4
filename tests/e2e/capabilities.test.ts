// The capability contract: every capability in the list keeps it, and a new one is a folder and one line.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import manifest from '../../appPackage/manifest.json';
import english from '../../appPackage/en.json';
import { manifestCommandLists } from '../../src/capability';
import { CAPABILITIES, CORE_COMMANDS } from '../../src/capabilities';
import { startApp } from '../../src/app';
import { createLogger } from '../../src/log';
import { FakeConnector } from '../helpers/connector';
import { people, readable, TENANT, testConfig, TestBot, personalChat, channel } from '../helpers/harness';
import { counter } from '../helpers/example';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe.each(CAPABILITIES.map((c) => [c.name, c] as const))('capability %s', (_name, capability) => {
  it('has the same message keys and placeholders in Dutch and English, none empty', () => {
    const { nl, en } = capability.messages;
    expect(Object.keys(en).sort()).toEqual(Object.keys(nl).sort());
    for (const key of Object.keys(nl)) {
      expect({ key, p: placeholders(en[key]!) }).toEqual({ key, p: placeholders(nl[key]!) });
      expect(nl[key]!.trim()).not.toBe('');
    }
  });

  it('has a sentence in both languages for every refusal it declares', () => {
    const declared = capability.refusals?.declared ?? {};
    const known = (lang: 'nl' | 'en', key: string) =>
      key in capability.messages[lang] || key in (require('../../src/i18n') as typeof import('../../src/i18n')).catalogs[lang];
    for (const [reason, key] of Object.entries(declared)) {
      expect({ reason, nl: known('nl', key), en: known('en', key) }).toEqual({ reason, nl: true, en: true });
    }
  });

  // Its privacy hooks are held by what they do, not by their type: tests/e2e/privacyWalk.test.ts gives a person
  // data in every capability, erases them, and finds every capability's export for them empty.
  it('declares its tables', () => {
    expect(capability.tables.length).toBeGreaterThan(0);
  });
});

it('has a Teams command menu in appPackage that is exactly what the capabilities declare (npm run manifest)', () => {
  const { manifest: lists, english: localised } = manifestCommandLists(CAPABILITIES, CORE_COMMANDS);
  expect(manifest.bots[0]!.commandLists).toEqual(lists);
  for (const [key, value] of Object.entries(localised)) expect({ key, value: (english as Record<string, string>)[key] }).toEqual({ key, value });
});

describe('a new capability: one folder and one line', () => {
  let bot: TestBot;
  beforeAll(async () => {
    const connector = await new FakeConnector().start();
    const config = testConfig();
    const app = await startApp(config, { log: createLogger(config.logLevel), capabilities: [...CAPABILITIES, counter] });
    bot = new TestBot(app, connector);
  });
  afterAll(async () => {
    await bot.stop();
  });

  it('creates its table, answers its command and card verb, and shows its menu button', async () => {
    expect((await bot.say(people.admin, 'teller'))[0]!.activity.text).toBe('De teller staat op 1.');
    expect((await bot.say(people.english, 'teller'))[0]).toBeDefined(); // not a member: gets the access form
    expect((await bot.submit(people.admin, { verb: 'counterShow' }))[0]!.activity.text).toBe('De teller staat op 1.');
    expect(readable((await bot.say(people.admin, 'help'))[0])).toContain('Teller');
  });

  it('answers its own refusal in its own words', async () => {
    await bot.say(people.admin, 'teller');
    await bot.say(people.admin, 'teller');
    expect((await bot.say(people.admin, 'teller'))[0]!.activity.text).toBe('Meer dan 3 kan niet.');
  });

  it('exports and erases what it holds about a person through its privacy hooks', async () => {
    const hooks = bot.app.built.find((b) => b.capability.name === 'counter')!.privacy;
    const person = { tenantId: TENANT, aadObjectId: people.admin.aadObjectId };
    expect(await hooks.export(person)).toEqual({ count: 3 });
    await hooks.erase(person);
    expect(await hooks.export(person)).toEqual({ count: 0 });
  });
});

describe('every capability in the product', () => {
  let bot: TestBot;
  beforeAll(async () => {
    const connector = await new FakeConnector().start();
    const config = testConfig();
    bot = new TestBot(await startApp(config, { log: createLogger(config.logLevel) }), connector);
  });
  afterAll(async () => {
    await bot.stop();
  });

  const commands = CAPABILITIES.flatMap((c) => (c.manifestCommands ?? []).map((m) => [c.name, m.title, m.scopes.includes('personal')] as const));
  it.each(commands)('%s answers its menu command "%s"', async (_name, title, personal) => {
    const replies = personal ? await bot.say(people.admin, title, personalChat(people.admin)) : await bot.say(people.admin, `<at>BO Wonen</at> ${title}`, channel);
    expect(replies.length).toBeGreaterThan(0);
    expect(replies.map(readable).join('\n')).not.toContain('Dat begrijp ik niet');
  });

  // What erasure leaves in each capability is proven in tests/e2e/privacyWalk.test.ts; here: the hooks run for the
  // added capability too, and the member is gone after.
  it('exports a member\'s data with a label for each kind, and after every capability\'s erase the member is gone', async () => {
    await bot.say(people.admin, 'help');
    const person = { tenantId: TENANT, aadObjectId: people.admin.aadObjectId };
    const exported = Object.fromEntries(await Promise.all(bot.app.built.map(async (b) => [b.capability.name, await b.privacy.export(person)] as const)));
    expect(exported.members).toHaveProperty('member');
    // "mijn gegevens" names each kind of data in words: every kind a capability exports has a label in both languages.
    for (const b of bot.app.built) {
      for (const kind of Object.keys(exported[b.capability.name] as Record<string, unknown>)) {
        const key = `privacy.${kind}`;
        expect({ capability: b.capability.name, key, nl: key in b.capability.messages.nl, en: key in b.capability.messages.en }).toEqual({
          capability: b.capability.name,
          key,
          nl: true,
          en: true,
        });
      }
    }
    for (const b of bot.app.built) await expect(b.privacy.erase(person)).resolves.toBeUndefined();
    expect((await bot.app.built.find((b) => b.capability.name === 'members')!.privacy.export(person)).member).toBeUndefined();
  });
});

describe('dependencies point down', () => {
  const src = path.resolve(__dirname, '../../src');
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? files(full) : full.endsWith('.ts') ? [full] : [];
    });
  // Only the entry, the wiring and the list of capabilities may name capabilities.
  const allowed = new Set(['index.ts', 'app.ts', 'capabilities.ts'].map((f) => path.join(src, f)));
  const lower = files(src).filter((f) => !f.startsWith(path.join(src, 'features')) && !allowed.has(f));

  it.each(lower.map((f) => [path.relative(src, f)]))('%s imports nothing from src/features', (relative) => {
    const text = readFileSync(path.join(src, relative), 'utf8');
    const imports = [...text.matchAll(/(?:from|import\()\s*'([^']+)'/g)].map((m) => m[1]!);
    const up = imports.filter((spec) => spec.startsWith('.') && path.resolve(path.dirname(path.join(src, relative)), spec).startsWith(path.join(src, 'features')));
    expect(up).toEqual([]);
  });
});

describe('capabilities meet only through each other\'s index.ts', () => {
  const features = path.resolve(__dirname, '../../src/features');
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? files(full) : full.endsWith('.ts') ? [full] : [];
    });

  it.each(files(features).map((f) => [path.relative(features, f)]))('%s imports another capability only through its index.ts', (relative) => {
    const own = relative.split(path.sep)[0]!;
    const text = readFileSync(path.join(features, relative), 'utf8');
    const specs = [...text.matchAll(/(?:from|import\()\s*'([^']+)'/g)].map((m) => m[1]!).filter((spec) => spec.startsWith('.'));
    const deep = specs.filter((spec) => {
      const target = path.relative(features, path.resolve(path.dirname(path.join(features, relative)), spec));
      if (target.startsWith('..')) return false; // the core, below the features
      const [capability, ...rest] = target.split(path.sep);
      return capability !== own && !(rest.length === 0 || (rest.length === 1 && rest[0] === 'index'));
    });
    expect(deep).toEqual([]);
  });
});
