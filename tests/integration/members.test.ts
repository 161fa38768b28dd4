// Membership rules on real tables: requests, decisions, roles, and the reference organisations.
import { MemberStore } from '../../src/features/members/store';
import { MemberService } from '../../src/features/members/service';
import { organisationFileSchema, type Member } from '../../src/features/members/model';
import organisationFile from '../../src/features/members/organisations.json';
import { AccessDenied, RuleViolation } from '../../src/errors';
import { tablesOf } from '../../src/capability';
import { CAPABILITIES } from '../../src/capabilities';
import { CORE_TABLES } from '../../src/app';
import { azuriteConnectionString } from '../../src/config';
import { createTables } from '../../src/storage/tables';
import { testConfig, testTablePrefix } from '../helpers/harness';
import { StorageProxy } from '../helpers/proxy';
import { freshTables } from '../helpers/storage';
import { AuditLog } from '../../src/core/audit';
import type { Tables } from '../../src/storage/tables';
import { playgroundMembers, readPlaygroundFile, seedPlaygroundMembers } from '../../scripts/playground';

const TENANT = '11111111-1111-4111-8111-111111111111';
const ADMIN = 'aaaaaaaa-0000-4000-8000-000000000001';
const organisations = organisationFileSchema.parse(organisationFile).organisations;
let service: MemberService;
/** A member registry on real tables, its changes recorded in the same store's audit trail. */
const registryOn = (tables: Tables, admins: string[], cacheMs = 0) => new MemberService(new MemberStore(tables), admins, undefined, cacheMs, new AuditLog(tables));
let admin: Member;

beforeAll(async () => {
  service = registryOn(await freshTables(), [ADMIN]);
  await service.loadOrganisations(organisations);
  admin = (await service.resolve({ tenantId: TENANT, aadObjectId: ADMIN, name: 'Sanne' }))!;
});

const person = (n: number) => ({ tenantId: TENANT, aadObjectId: `bbbbbbbb-0000-4000-8000-${String(n).padStart(12, '0')}`, name: `Persoon ${n}` });

it('loads the six municipalities, the corporations and the region, idempotently', async () => {
  await service.loadOrganisations(organisations);
  const list = service.listOrganisations();
  expect(list).toHaveLength(organisations.length);
  expect(list.filter((o) => o.kind === 'gemeente').map((o) => o.id).sort()).toEqual(
    ['blaricum', 'gooise-meren', 'hilversum', 'huizen', 'laren', 'wijdemeren'],
  );
});

it('makes bootstrap admins secretariaat on first sight, and nobody else', async () => {
  expect(admin.role).toBe('secretariaat');
  expect(await service.resolve(person(1))).toBeUndefined();
});

it('names what is missing in an access request and stores nothing', async () => {
  const result = await service.requestAccess(person(2), { organisationId: 'atlantis', role: 'koning' });
  expect(result).toEqual({ status: 'invalid', problems: { organisationId: 'missing', role: 'missing' } });
  expect(await service.pendingRequest(person(2))).toBeUndefined();
});

it('keeps one open request per person', async () => {
  const first = await service.requestAccess(person(3), { organisationId: 'laren', role: 'wethouder' });
  const again = await service.requestAccess(person(3), { organisationId: 'huizen', role: 'wethouder' });
  expect(first.status).toBe('sent');
  expect(again.status).toBe('pending');
  expect((await service.openRequests(admin)).filter((r) => r.aadObjectId === person(3).aadObjectId)).toHaveLength(1);
});

it('lets only one of two simultaneous decisions win', async () => {
  await service.requestAccess(person(4), { organisationId: 'ymere', role: 'directeur-bestuurder' });
  const results = await Promise.all([
    service.decide(admin, person(4), 'approved'),
    service.decide(admin, person(4), 'rejected'),
  ]);
  expect(results.map((r) => r.status).sort()).toEqual(['alreadyDecided', 'decided']);
  const member = await service.resolve(person(4));
  const winner = results.find((r) => r.status === 'decided')!;
  expect(Boolean(member)).toBe(winner.request.status === 'approved');
});

it('refuses decisions and management by a member who is not secretariaat', async () => {
  await service.requestAccess(person(5), { organisationId: 'huizen', role: 'wethouder' });
  await service.decide(admin, person(5), 'approved');
  const wethouder = (await service.resolve(person(5)))!;
  await service.requestAccess(person(6), { organisationId: 'huizen', role: 'wethouder' });
  await expect(service.decide(wethouder, person(6), 'approved')).rejects.toThrow(AccessDenied);
  await expect(service.changeRole(wethouder, person(5), 'secretariaat')).rejects.toThrow(AccessDenied);
  await expect(service.listMembers(wethouder)).rejects.toThrow(AccessDenied);
  expect((await service.resolve(person(5)))!.role).toBe('wethouder');
  expect(await service.resolve(person(6))).toBeUndefined();
});

it('keeps at least one secretariaat member', async () => {
  await expect(service.changeRole(admin, admin, 'wethouder')).rejects.toThrow(RuleViolation);
  await expect(service.removeMember(admin, admin)).rejects.toThrow(RuleViolation);
  expect((await service.resolve({ ...admin, name: admin.name }))!.role).toBe('secretariaat');
});

it('changes a role and removes a member', async () => {
  const changed = await service.changeRole(admin, person(5), 'gespreksleider');
  expect(changed.role).toBe('gespreksleider');
  await service.removeMember(admin, person(5));
  expect(await service.resolve(person(5))).toBeUndefined();
});

describe('with the member cache on', () => {
  it('sees its own role changes and removals at once', async () => {
    const cached = registryOn(await freshTables(), [ADMIN], 60_000);
    await cached.loadOrganisations(organisations);
    const boss = (await cached.resolve({ tenantId: TENANT, aadObjectId: ADMIN, name: 'Sanne' }))!;
    await cached.requestAccess(person(20), { organisationId: 'laren', role: 'wethouder' });
    await cached.decide(boss, person(20), 'approved');
    expect((await cached.resolve(person(20)))!.role).toBe('wethouder');
    await cached.changeRole(boss, person(20), 'directeur-bestuurder');
    expect((await cached.resolve(person(20)))!.role).toBe('directeur-bestuurder');
    await cached.removeMember(boss, person(20));
    expect(await cached.resolve(person(20))).toBeUndefined();
  });
});

describe('the secretariaat under concurrency and configuration', () => {
  it('never lets two secretariaat members remove each other at the same moment', async () => {
    const tables = await freshTables();
    const store = new MemberStore(tables);
    const a = new MemberService(store, [], undefined, 0, new AuditLog(tables));
    await a.loadOrganisations(organisations);
    const make = (n: number) => ({ tenantId: TENANT, aadObjectId: `dddddddd-0000-4000-8000-00000000000${n}`, name: `Secretaris ${n}`, organisationId: 'regio-gooi-en-vechtstreek', role: 'secretariaat' as const });
    for (let round = 0; round < 5; round++) {
      const [one, two] = [make(2 * round + 1), make(2 * round + 2)];
      await a.seed([one, two]);
      const m1 = (await a.resolve(one))!;
      const m2 = (await a.resolve(two))!;
      const outcomes = await Promise.allSettled([a.removeMember(m1, two), a.removeMember(m2, one)]);
      // Exactly one removal goes through; the other is refused because its actor is gone or would be the last.
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      const left = (await a.secretariaat()).map((m) => m.name);
      expect(left.length).toBeGreaterThanOrEqual(1);
      // Start the next round with no secretariaat left over.
      for (const m of await a.secretariaat()) await store.deleteMember(m.tenantId, m.aadObjectId);
    }
  });

  it('does not bring back a removed configured (bootstrap) secretariaat member on their next message', async () => {
    const configured = registryOn(await freshTables(), [ADMIN, 'eeeeeeee-0000-4000-8000-000000000001'], 0);
    await configured.loadOrganisations(organisations);
    const first = (await configured.resolve({ tenantId: TENANT, aadObjectId: ADMIN, name: 'Sanne' }))!;
    const second = { tenantId: TENANT, aadObjectId: 'eeeeeeee-0000-4000-8000-000000000001', name: 'Bas' };
    expect((await configured.resolve(second))!.role).toBe('secretariaat');
    expect(configured.isBootstrap(second)).toBe(true);
    await configured.removeMember(first, second);
    expect(await configured.resolve(second)).toBeUndefined();
    // Asking again and being approved brings them back.
    await configured.requestAccess(second, { organisationId: 'regio-gooi-en-vechtstreek', role: 'secretariaat' });
    await configured.decide(first, second, 'approved');
    expect((await configured.resolve(second))!.role).toBe('secretariaat');
  });
});

describe('the demo people of npm start', () => {
  it('go only into an empty registry: a removed Ruud stays removed, an erased Marieke stays erased', async () => {
    const demo = registryOn(await freshTables(), [], 0);
    await demo.loadOrganisations(organisations);
    const people = playgroundMembers();
    const tenantId = readPlaygroundFile().tenantId.toLowerCase();
    const who = (first: string) => {
      const p = people.find((x) => x.name.startsWith(first))!;
      return { tenantId, aadObjectId: p.aadObjectId.toLowerCase(), name: p.name };
    };
    expect(await seedPlaygroundMembers(demo)).toBe(true);
    const pieter = (await demo.resolve(who('Pieter')))!;
    expect(pieter.role).toBe('secretariaat');
    await demo.removeMember(pieter, who('Ruud'));
    await demo.erase(who('Marieke'));
    await demo.changeRole(pieter, who('Joost'), 'secretariaat');

    // The next start.
    expect(await seedPlaygroundMembers(demo)).toBe(false);
    const names = (await demo.listMembers(pieter)).map((m) => m.name);
    expect(names).not.toContain('Ruud Hoekstra');
    expect(names).not.toContain('Marieke van Dalen');
    expect((await demo.resolve(who('Joost')))!.role).toBe('secretariaat');
  });
});

it('finds several members with one read of the registry, then from memory, and a removed one as gone', async () => {
  // The registry's tables behind a loopback proxy that counts requests.
  const proxy = await new StorageProxy(Number(process.env.TEST_AZURITE_PORT)).start();
  try {
    const prefix = testTablePrefix();
    const direct = createTables(testConfig({ TABLE_PREFIX: prefix }).storage);
    await direct.ensure(tablesOf(CAPABILITIES, CORE_TABLES));
    const counted = createTables(
      testConfig({ TABLE_PREFIX: prefix, STORAGE_CONNECTION_STRING: azuriteConnectionString(proxy.port, '127.0.0.1', Number(process.env.TEST_AZURITE_QUEUE_PORT)) }).storage,
    );
    const people = Array.from({ length: 12 }, (_, i) => person(200 + i));
    await registryOn(direct, []).seed(people.map((p) => ({ ...p, organisationId: 'huizen', role: 'wethouder' as const })));
    const registry = registryOn(counted, [ADMIN], 30_000);
    const asked = [people[3]!, people[0]!, person(299), people[7]!, people[11]!];

    let before = proxy.requests;
    expect((await registry.findMany(asked)).map((m) => m?.name)).toEqual(['Persoon 203', 'Persoon 200', undefined, 'Persoon 207', 'Persoon 211']);
    expect(proxy.requests - before).toBe(1);
    before = proxy.requests;
    expect((await registry.findMany([people[5]!, people[9]!, people[1]!])).map((m) => m?.name)).toEqual(['Persoon 205', 'Persoon 209', 'Persoon 201']);
    expect(proxy.requests - before).toBe(0);

    // Removed on this instance: gone at once, also when looked up with others.
    const secretary = (await registry.resolve({ tenantId: TENANT, aadObjectId: ADMIN, name: 'Sanne' }))!;
    await registry.removeMember(secretary, { tenantId: TENANT, aadObjectId: people[0]!.aadObjectId });
    expect((await registry.findMany([people[0]!, people[3]!])).map((m) => m?.name)).toEqual([undefined, 'Persoon 203']);
  } finally {
    await proxy.cut();
  }
});
