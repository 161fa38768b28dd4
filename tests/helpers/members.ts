// Invented members for tests that call services directly (no bot, no Teams): tenant t1, named after their id.
import type { Member } from '../../src/features/members/model';

export function testMember(aadObjectId: string, role: Member['role'] = 'wethouder', organisationId = 'hilversum'): Member {
  return {
    tenantId: 't1',
    aadObjectId,
    name: `Lid ${aadObjectId}`,
    organisationId,
    role,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
  };
}
