// Members, organisations and access requests: zod schemas and the types inferred from them.
import { z } from 'zod';

export { ROLES, roleSchema, memberSchema, type Role, type Person, type Member } from '../../identity';
import { roleSchema } from '../../identity';

export const organisationSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{2,60}$/),
  name: z.string().min(1).max(120),
  kind: z.enum(['gemeente', 'corporatie', 'regio']),
});
export type Organisation = z.infer<typeof organisationSchema>;
export const organisationFileSchema = z.object({ organisations: z.array(organisationSchema).min(1) });

export const accessRequestSchema = z.object({
  tenantId: z.string(),
  aadObjectId: z.string(),
  name: z.string(),
  organisationId: z.string(),
  role: roleSchema,
  status: z.enum(['pending', 'approved', 'rejected']),
  requestedAt: z.string(),
  decidedAt: z.string().optional(),
  decidedBy: z.string().optional(),
});
export type AccessRequest = z.infer<typeof accessRequestSchema>;

/** A reference to one person from a card; ids are checked again in the service. */
const personRefSchema = z.object({
  tenantId: z.string().min(1).max(64),
  aadObjectId: z.string().min(1).max(64),
});
export type PersonRef = z.infer<typeof personRefSchema>;

// Card submits. Everything from Teams is unknown until these have parsed it.
export const accessRequestSubmitSchema = z.object({
  verb: z.literal('requestAccess'),
  organisationId: z.string().max(60).optional().default(''),
  role: z.string().max(40).optional().default(''),
});

export const accessDecisionSubmitSchema = z.object({
  verb: z.literal('decideAccess'),
  decision: z.enum(['approved', 'rejected']),
  target: personRefSchema,
  /** Which card the button was on: the notice, or the beheer card (which then comes back up to date). */
  from: z.enum(['notice', 'admin']).optional(),
  search: z.string().max(200).optional(),
  offset: z.number().int().min(0).max(100_000).optional(),
});

export const changeRoleSubmitSchema = z.object({
  verb: z.literal('changeRole'),
  target: personRefSchema,
  search: z.string().max(200).optional(),
  offset: z.number().int().min(0).max(100_000).optional(),
  // Teams names an Input.ChoiceSet's value by the input id; the id carries the member so each row has its own.
}).passthrough();

export const removeMemberSubmitSchema = z.object({
  verb: z.literal('removeMember'),
  target: personRefSchema,
  search: z.string().max(200).optional(),
  offset: z.number().int().min(0).max(100_000).optional(),
});

/** "Zoeken" on the beheer card: the search box arrives as `search` (empty shows everyone). */
export const adminSearchSubmitSchema = z.object({
  verb: z.literal('adminSearch'),
  search: z.string().max(200).optional().default(''),
});

/** "Meer leden" / "Vorige leden" on the beheer card. */
export const adminPageSubmitSchema = z.object({
  verb: z.literal('adminPage'),
  offset: z.number().int().min(0).max(100_000),
  search: z.string().max(200).optional(),
});
