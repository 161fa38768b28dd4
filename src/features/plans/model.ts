// Housing plans: zod schemas and the types inferred from them, and the reference data (phases, goals,
// ratings, limits) read from reference.json, so the secretariaat can change them without touching code.
import { z } from 'zod';
import { PLAN_ID_MAX_LENGTH, PLAN_ID_PARTS } from '../../planIds';
import referenceFile from './reference.json';

const slug = z.string().regex(/^[a-zA-Z0-9-]+$/);
const labelled = { id: slug, nl: z.string().min(1), en: z.string().min(1), aliases: z.array(z.string()).default([]) };

/** How a phase counts in `voortgang`: delivered, building, hard or soft planned, an idea, or dropped. */
const PROGRESS = ['delivered', 'construction', 'hard', 'soft', 'idea', 'dropped'] as const;
export type Progress = (typeof PROGRESS)[number];

const referenceSchema = z.object({
  phases: z.array(z.object({ ...labelled, progress: z.enum(PROGRESS) })).min(1),
  goals: z.array(z.object(labelled)).min(1),
  ratings: z.array(z.object(labelled)).min(1),
  limits: z.object({
    homesPerPlan: z.number().int().positive(),
    firstYear: z.number().int(),
    lastYear: z.number().int(),
    discussedFrom: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  }),
});
export const REFERENCE = referenceSchema.parse(referenceFile);
type Phase = (typeof REFERENCE.phases)[number];

export function phaseOf(id: string): Phase | undefined {
  return REFERENCE.phases.find((p) => p.id === id);
}

/** Hard or soft planning capacity, derived from the phase (reference data), for the card's label. */
export function certaintyOf(phase: string): 'hard' | 'soft' | undefined {
  const progress = phaseOf(phase)?.progress;
  return progress === 'hard' ? 'hard' : progress === 'soft' ? 'soft' : undefined;
}

export const LIMITS = {
  name: 120,
  location: 120,
  initiators: 10,
  initiator: 80,
  advice: 1000,
  goalNote: 300,
  search: 120,
  /** Biggest file accepted for import, in bytes (CSV or XLSX as sent). */
  fileBytes: 5 * 1024 * 1024,
  /** XLSX is a zip: the unpacked size is checked too, so a small file cannot unpack to gigabytes. */
  unpackedBytes: 60 * 1024 * 1024,
  /** Rows in one import (data rows, header not counted). */
  rows: 20_000,
} as const;

/** A quarter as "2027-Q3"; empty when not known. */
const quarterSchema = z.string().regex(/^\d{4}-Q[1-4]$/).or(z.literal(''));

const homesSchema = z.object({
  total: z.number().int().min(0),
  socialRent: z.number().int().min(0),
  midRent: z.number().int().min(0),
  affordablePurchase: z.number().int().min(0),
  other: z.number().int().min(0),
});
export type Homes = z.infer<typeof homesSchema>;
export const HOME_PARTS = ['socialRent', 'midRent', 'affordablePurchase', 'other'] as const;

const goalAssessmentSchema = z.object({ rating: z.string(), note: z.string() });

/** Who made a change: a member (on a card or by sending a file), or the command-line import / seed. */
const changerSchema = z.object({
  tenantId: z.string(),
  aadObjectId: z.string(),
  name: z.string(),
  via: z.enum(['kaart', 'import', 'seed']),
});
export type Changer = z.infer<typeof changerSchema>;

export { PLAN_ID_MAX_LENGTH };

const planIdSchema = z
  .string()
  .regex(new RegExp(`^[a-z0-9-]{2,${PLAN_ID_PARTS.municipality}}:[a-z0-9-]{1,${PLAN_ID_PARTS.name}}$`));

export const planSchema = z.object({
  id: planIdSchema,
  name: z.string(),
  municipality: z.string(),
  location: z.string(),
  initiators: z.array(z.string()),
  homes: homesSchema,
  phase: z.string(),
  startConstruction: quarterSchema,
  delivery: quarterSchema,
  regional: z.object({ onList: z.boolean(), discussedOn: z.string(), advice: z.string() }),
  goals: z.record(goalAssessmentSchema),
  /** Goes up by one with every stored change: the edit card carries it, so a stale card is noticed. */
  revision: z.number().int().min(1),
  createdAt: z.string(),
  updatedAt: z.string(),
  updatedBy: changerSchema,
});
export type Plan = z.infer<typeof planSchema>;

export const changeSchema = z.object({ field: z.string(), from: z.string(), to: z.string() });
export type FieldChange = z.infer<typeof changeSchema>;

export const historyEntrySchema = z.object({
  planId: planIdSchema,
  at: z.string(),
  by: changerSchema,
  created: z.boolean(),
  changes: z.array(changeSchema),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

/** A plan id from a municipality and a name: lower case, accents off, words joined by hyphens. */
export function planId(municipality: string, name: string): string {
  const part = (s: string) =>
    s
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, PLAN_ID_PARTS.name) || 'plan';
  return `${part(municipality).slice(0, PLAN_ID_PARTS.municipality)}:${part(name)}`;
}

// ---- Card submits: everything from Teams is unknown until these have parsed it. ----

export const planOpenSubmitSchema = z.object({ id: planIdSchema });
export const planFollowSubmitSchema = z.object({ id: planIdSchema, follow: z.boolean() });
export const planListSubmitSchema = z.object({ municipality: z.string().max(60).optional() });

const text = z.unknown().transform((v) => (typeof v === 'string' ? v.slice(0, 40) : typeof v === 'number' ? String(v) : ''));
export const planEditSubmitSchema = z.object({
  id: planIdSchema,
  revision: z.number().int().min(1),
  phase: text,
  total: text,
  socialRent: text,
  midRent: text,
  affordablePurchase: text,
  other: text,
  startConstruction: text,
  delivery: text,
});
export type PlanEditSubmit = z.infer<typeof planEditSubmitSchema>;

export const EDIT_FIELDS = ['phase', 'total', 'socialRent', 'midRent', 'affordablePurchase', 'other', 'startConstruction', 'delivery'] as const;
export type EditField = (typeof EDIT_FIELDS)[number];
