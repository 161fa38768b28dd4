// A tiny example capability, only for tests: it shows that a new capability is a folder and one line in a
// list. It owns one table, one command ("teller"), one card verb, a refusal, and both privacy hooks.
import { defineCapability, type Core } from '../../../src/capability';
import { refusals } from '../../../src/errors';
import { defineMessages, translator } from '../../../src/i18n';
import type { Member, PersonId } from '../../../src/identity';
import { personKey } from '../../../src/storage/keys';
import { getOrUndefined, updateWithEtag } from '../../../src/storage/tables';

const messages = defineMessages({
  nl: { 'counter.value': 'De teller staat op {count}.', 'counter.tooMany': 'Meer dan {max} kan niet.', 'counter.menu': 'Teller' },
  en: { 'counter.value': 'The counter is at {count}.', 'counter.tooMany': 'More than {max} is not possible.', 'counter.menu': 'Counter' },
});
const t = translator(messages);
const refuse = refusals('counter', { tooMany: 'counter.tooMany' }, t);

const TABLE = 'ExampleCounters';

class CounterService {
  constructor(private readonly core: Core) {}

  private get table() {
    return this.core.tables.client(TABLE);
  }

  async add(member: Member): Promise<number> {
    const key = { partitionKey: 'counter', rowKey: personKey(member.tenantId, member.aadObjectId) };
    const row = await updateWithEtag<{ count: number }>(this.table, key.partitionKey, key.rowKey, (current) => {
      const count = (current?.count ?? 0) + 1;
      if (count > 3) throw refuse.rule('tooMany', { max: 3 });
      return { ...key, count };
    });
    return row!.count;
  }

  async read(person: PersonId): Promise<number> {
    const row = await getOrUndefined<{ count: number }>(this.table, 'counter', personKey(person.tenantId, person.aadObjectId));
    return row?.count ?? 0;
  }

  async erase(person: PersonId): Promise<void> {
    await this.table.deleteEntity('counter', personKey(person.tenantId, person.aadObjectId)).catch(() => undefined);
  }
}

export const counter = defineCapability({
  name: 'counter',
  tables: [TABLE],
  messages,
  refusals: refuse,
  manifestCommands: [{ title: 'teller', description: { nl: 'Tel één op.', en: 'Count one up.' }, scopes: ['personal'] }],
  build: (core: Core) => new CounterService(core),
  routes: (service) => ({
    audience: { where: 'open' },
    menu: [{ label: (locale) => t(locale, 'counter.menu'), command: 'teller' }],
    commands: [
      {
        words: ['teller'],
        handler: async ({ context, member, locale }) => {
          await context.sendActivity(t(locale, 'counter.value', { count: await service.add(member) }));
        },
      },
    ],
    actions: [
      {
        verb: 'counterShow',
        handler: async ({ context, member, locale }) => {
          await context.sendActivity(t(locale, 'counter.value', { count: await service.read(member) }));
        },
      },
    ],
  }),
  privacy: (service) => ({
    export: async (person) => ({ count: await service.read(person) }),
    erase: (person) => service.erase(person),
  }),
});
