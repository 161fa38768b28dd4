// Who is acting: the person Teams names, and the member they are in BO Wonen. Shared by the core and every
// capability; the member registry itself is the members capability.
import { z } from 'zod';

export const ROLES = ['wethouder', 'directeur-bestuurder', 'secretariaat', 'gespreksleider'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

const guid = z.string().regex(/^[0-9a-fA-F-]{1,64}$/);

/** Who is acting, as Teams tells it. Tenant and object id are lower-cased so lookups match. */
export const personSchema = z.object({
  tenantId: guid.transform((v) => v.toLowerCase()),
  aadObjectId: guid.transform((v) => v.toLowerCase()),
  name: z.string().trim().max(200).default(''),
});
export type Person = z.infer<typeof personSchema>;

export const memberSchema = z.object({
  tenantId: z.string(),
  aadObjectId: z.string(),
  name: z.string(),
  organisationId: z.string(),
  role: roleSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
  /** The day they last used the bot (kept to the day, for the retention period). */
  lastSeenAt: z.string().optional(),
});
export type Member = z.infer<typeof memberSchema>;

/** A person by their ids only (tenant and object id), as privacy hooks and references name them. */
export interface PersonId {
  tenantId: string;
  aadObjectId: string;
}

export function samePerson(a: PersonId, b: PersonId): boolean {
  return a.tenantId.toLowerCase() === b.tenantId.toLowerCase() && a.aadObjectId.toLowerCase() === b.aadObjectId.toLowerCase();
}
