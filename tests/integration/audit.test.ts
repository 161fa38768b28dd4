// The one audit recorder every capability uses, against the real audit table: who (a person or the system by
// name), the capability, and before, after and subject only when given.
import { AuditLog, auditRecorder } from '../../src/core/audit';
import type { Member } from '../../src/identity';
import { freshTables } from '../helpers/storage';

const secretary: Member = {
  tenantId: '11111111-1111-4111-8111-111111111111',
  aadObjectId: 'aaaaaaaa-0000-4000-8000-000000000009',
  name: 'Sanne Secretaris',
  organisationId: 'regio-gooi-en-vechtstreek',
  role: 'secretariaat',
  createdAt: '',
  updatedAt: '',
};

it('records a person by ids and name only, the system by its name, and a change with its before and after', async () => {
  const log = new AuditLog(await freshTables());
  const record = auditRecorder(log, 'plans');
  await record(secretary, 'plan.edited', 'P-1', { homes: 10 }, { homes: 12 }, 'Spoorlaan');
  await record('import', 'plans.imported', 'planlijst', undefined, { created: 3 });
  await record('demo', 'plans.imported', 'planlijst');
  const { entries } = await log.page(10);
  // Newest first.
  expect(entries.map(({ id, at, ...rest }) => rest)).toEqual([
    { actor: { tenantId: '', aadObjectId: 'system:demo', name: '' }, capability: 'plans', action: 'plans.imported', target: 'planlijst' },
    { actor: { tenantId: '', aadObjectId: 'system:import', name: '' }, capability: 'plans', action: 'plans.imported', target: 'planlijst', after: { created: 3 } },
    {
      actor: { tenantId: secretary.tenantId, aadObjectId: secretary.aadObjectId, name: 'Sanne Secretaris' },
      capability: 'plans',
      action: 'plan.edited',
      target: 'P-1',
      subject: 'Spoorlaan',
      before: { homes: 10 },
      after: { homes: 12 },
    },
  ]);
});
