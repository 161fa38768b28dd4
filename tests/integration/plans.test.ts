// Plans on real tables (Azurite): an import applied twice changes nothing, a refused write leaves neither the
// plan nor its history, and a person's data (follows, changes) can be exported and erased.
import { AuditLog } from '../../src/core/audit';
import { readFileSync } from 'node:fs';
import { SAMPLE_FILE } from '../../src/features/plans';
import { PlanService } from '../../src/features/plans/service';
import { PlanStore, WriteConflict } from '../../src/features/plans/store';
import type { Member } from '../../src/identity';
import { freshTables } from '../helpers/storage';
import type { Tables } from '../../src/storage/tables';

const MUNICIPALITIES = ['Blaricum', 'Gooise Meren', 'Hilversum', 'Huizen', 'Laren', 'Wijdemeren'].map((name) => ({
  id: name.toLowerCase().replace(/ /g, '-'),
  name: `Gemeente ${name}`,
}));
const SETTINGS = { targetHomes: 7000, fromYear: 2022, toYear: 2030, socialRentShare: 1 / 3 };
const wethouder: Member = {
  tenantId: 't1',
  aadObjectId: 'a1',
  name: 'Wendy Wethouder',
  organisationId: 'hilversum',
  role: 'wethouder',
  createdAt: '',
  updatedAt: '',
};

let tables: Tables;
const notices: Array<{ plan: string; followers: number }> = [];
const service = (t: Tables) =>
  new PlanService(new PlanStore(t), () => MUNICIPALITIES, { planChanged: async (plan, _c, followers) => void notices.push({ plan: plan.id, followers: followers.length }) }, SETTINGS, undefined, undefined, new AuditLog(t));

beforeAll(async () => {
  tables = await freshTables();
});

it('imports the sample once: a second import changes nothing and adds no history', async () => {
  const plans = service(tables);
  await plans.load();
  expect(await plans.importFile('import', readFileSync(SAMPLE_FILE))).toMatchObject({ status: 'done', created: 15, changed: 0, unchanged: 0 });
  expect(await plans.importFile('import', readFileSync(SAMPLE_FILE))).toMatchObject({ status: 'done', created: 0, changed: 0, unchanged: 15 });
  // A new plan's row records its arrival; only later changes get history entries.
  expect(await plans.history(wethouder, 'hilversum:de-boomgaard')).toEqual([]);
  // A fresh process reads the same plans.
  const other = service(tables);
  await other.load();
  expect((await other.list(wethouder)).plans).toHaveLength(15);
});

it('writes a plan and its history together, or neither', async () => {
  const store = new PlanStore(tables);
  const stored = (await store.get('hilversum:spoorzicht'))!;
  const history = await store.history(stored.plan.id);
  const changed = { ...stored.plan, phase: 'opgeleverd', revision: stored.plan.revision + 1 };
  const entry = { planId: changed.id, at: new Date().toISOString(), by: changed.updatedBy, created: false, changes: [{ field: 'phase', from: 'planprocedure', to: 'opgeleverd' }] };
  await store.write([{ plan: changed, etag: stored.etag, history: entry }]);
  // The same stale ETag again: refused, and no second history entry.
  await expect(store.write([{ plan: { ...changed, phase: 'vervallen' }, etag: stored.etag, history: entry }])).rejects.toBeInstanceOf(WriteConflict);
  expect((await store.get(changed.id))!.plan.phase).toBe('opgeleverd');
  expect(await store.history(changed.id)).toHaveLength(history.length + 1);
});

it('exports and erases what plans hold about a person; erasing twice changes nothing more', async () => {
  const plans = service(tables);
  await plans.load();
  await plans.setFollowing(wethouder, 'hilversum:zonnewijzerhof', true);
  const plan = await plans.forEdit(wethouder, 'hilversum:zonnewijzerhof');
  const saved = await plans.update(wethouder, {
    id: plan.id,
    revision: plan.revision,
    phase: 'in-aanbouw',
    total: '85',
    socialRent: '30',
    midRent: '25',
    affordablePurchase: '10',
    other: '',
    startConstruction: '2026-Q1',
    delivery: '2027-Q3',
  });
  expect(saved.status).toBe('saved');
  expect(notices).toContainEqual({ plan: plan.id, followers: 1 });
  const exported = await plans.personalData(wethouder);
  expect(exported).toMatchObject({ following: [plan.id], changes: [{ plan: plan.id, changes: [{ field: 'phase', from: 'vergunning-verleend', to: 'in-aanbouw' }] }] });

  await plans.erase(wethouder);
  await plans.erase(wethouder);
  expect(await plans.personalData(wethouder)).toEqual({ following: [], changes: [] });
  expect(await plans.isFollowing(wethouder, plan.id)).toBe(false);
  const after = await new PlanStore(tables).get(plan.id);
  expect(after!.plan.updatedBy).toMatchObject({ name: '', aadObjectId: '' });
  expect(after!.plan.phase).toBe('in-aanbouw');
  const history = await plans.history(wethouder, plan.id);
  expect(JSON.stringify(history)).not.toContain('Wendy');
});
