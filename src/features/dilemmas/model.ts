// Dilemmas: what members log, recognise and respond to. zod schemas and the types inferred from them.
import { z } from 'zod';
import { typedText } from '../../text';
// Any plan id the plans capability makes (src/planIds.ts holds its shape for both).
import { PLAN_ID_MAX_LENGTH } from '../../planIds';
import themeFile from './themes.json';

/** `relatedPlanId` holds any plan id the plans capability makes. */
export const LIMITS = {
  title: 120,
  description: 4000,
  relatedPlan: 120,
  relatedPlanId: PLAN_ID_MAX_LENGTH,
  response: 2000,
  outcome: 1000,
  search: 200,
} as const;

const themeEntry = z.object({ id: z.string().regex(/^[a-z0-9-]+$/), nl: z.string().min(1), en: z.string().min(1) });
export const THEMES = z.object({ themes: z.array(themeEntry).min(1) }).parse(themeFile).themes;
const themeIds = THEMES.map((t) => t.id);

/** Dilemmas on one list page. */
export const PAGE_SIZE = 10;

/** The "all" choice of a list filter (a choice needs a value, and an empty one is not allowed). */
export const ANY = 'alle';

/** The plan choice "another plan (type it below)": the free-text field says which. */
export const OTHER_PLAN = 'ander';

/** The typeahead dataset of the plan choices in the form and the list filter (Teams asks the bot as one types). */
export const PLAN_DATASET = 'dilemmaPlans';

/** "Regio-breed": the dilemma concerns the whole region rather than named municipalities. */
export const REGION_WIDE = 'regio';

export const STATUSES = ['nieuw', 'geagendeerd', 'besproken', 'afgerond', 'ingetrokken'] as const;
export const statusSchema = z.enum(STATUSES);
export type DilemmaStatus = z.infer<typeof statusSchema>;
/** Statuses the secretariaat sets; "ingetrokken" is the author's own. */
export const SECRETARIAAT_STATUSES = ['nieuw', 'geagendeerd', 'besproken', 'afgerond'] as const;

const visibilitySchema = z.enum(['members', 'confidential']);

export const dilemmaIdSchema = z.string().regex(/^D-\d{4}-\d{3,6}$/);

const authorSchema = z.object({
  tenantId: z.string(),
  aadObjectId: z.string(),
  name: z.string(),
  organisationId: z.string(),
});
export type Author = z.infer<typeof authorSchema>;

export const dilemmaSchema = z.object({
  id: dilemmaIdSchema,
  title: z.string(),
  description: z.string(),
  theme: z.string(),
  municipalities: z.array(z.string()),
  relatedPlan: z.string(),
  /** The plan from the plan list (the plans capability), when one was chosen; empty otherwise. */
  relatedPlanId: z.string().default(''),
  visibility: visibilitySchema,
  wantsAgenda: z.boolean(),
  status: statusSchema,
  outcome: z.string(),
  author: authorSchema,
  /** Person keys of the members who recognise it; the count is its length. */
  recognisedBy: z.array(z.string()),
  responseCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Dilemma = z.infer<typeof dilemmaSchema>;

export const responseSchema = z.object({
  dilemmaId: dilemmaIdSchema,
  author: authorSchema,
  text: z.string(),
  wantsToTalk: z.boolean(),
  createdAt: z.string(),
});
export type DilemmaResponse = z.infer<typeof responseSchema>;

/** What the form sends. Inputs arrive as strings (Teams sends every input value as text). */
export const dilemmaInputSchema = z.object({
  title: z.string().trim().min(1, 'required').max(LIMITS.title, 'tooLong'),
  description: z.string().trim().min(1, 'required').max(LIMITS.description, 'tooLong'),
  theme: z.enum(themeIds as [string, ...string[]], { errorMap: () => ({ message: 'unknownTheme' }) }),
  municipalities: z.array(z.string()).min(1, 'required'),
  relatedPlan: z.string().trim().max(LIMITS.relatedPlan, 'tooLong'),
  relatedPlanId: z.string().trim().max(LIMITS.relatedPlanId, 'tooLong').default(''),
  visibility: visibilitySchema,
  wantsAgenda: z.boolean(),
});
export type DilemmaInput = z.infer<typeof dilemmaInputSchema>;
export type DilemmaField = keyof DilemmaInput;

/** A raw form submit: anything goes in, strings come out, so the form can always be shown again. */
/** Typed text, without control characters (a forged submit cannot garble a card). */
const text = typedText;
export const dilemmaFormSubmitSchema = z.object({
  verb: z.literal('dilemmaSave'),
  submissionId: z.string().regex(/^[A-Za-z0-9-]{8,64}$/),
  editId: dilemmaIdSchema.optional(),
  title: text,
  description: text,
  theme: text,
  municipalities: text,
  relatedPlan: text,
  relatedPlanId: text,
  visibility: text,
  wantsAgenda: text,
  /** 'true' once the person saw the similar dilemmas and chose to save anyway. */
  similarChecked: text.optional(),
});

export const idSubmitSchema = z.object({ id: dilemmaIdSchema });

export const recogniseSubmitSchema = z.object({ id: dilemmaIdSchema, recognise: z.boolean().optional() });

export const responseSubmitSchema = z.object({
  id: dilemmaIdSchema,
  submissionId: z.string().regex(/^[A-Za-z0-9-]{8,64}$/),
  responseText: typedText,
  wantsToTalk: z.unknown().transform((v) => v === true || v === 'true'),
});

export const statusSubmitSchema = z.object({
  id: dilemmaIdSchema,
  status: z.enum(SECRETARIAAT_STATUSES),
  outcome: typedText,
});

/** Where a list page starts: the key of the last row the previous page showed (opaque to everyone but the store). */
const cursorSchema = z.string().regex(/^[0-9A-Za-z|-]{1,80}$/);

/** "Meer reacties": the detail's responses from this one on (0 is the first). */
export const responsesSubmitSchema = z.object({ id: dilemmaIdSchema, from: z.number().int().min(0).max(1_000_000) });

export const listSubmitSchema = z.object({
  theme: z.string().max(60).optional(),
  municipality: z.string().max(60).optional(),
  status: z.string().max(20).optional(),
  plan: z.string().max(LIMITS.relatedPlanId).optional(),
  words: z.string().max(LIMITS.search).optional(),
  after: cursorSchema.optional(),
});
export type ListFilter = { theme?: string; municipality?: string; status?: DilemmaStatus; plan?: string; words?: string };

/**
 * What a list shows of a dilemma, and what `canSee` needs (status, visibility, author): a small row,
 * without the description, so a list page is a bounded read.
 */
const summarySchema = z.object({
  id: dilemmaIdSchema,
  title: z.string(),
  theme: z.string(),
  municipalities: z.array(z.string()),
  relatedPlanId: z.string(),
  visibility: visibilitySchema,
  wantsAgenda: z.boolean(),
  status: statusSchema,
  author: authorSchema,
  recognisedCount: z.number().int(),
  responseCount: z.number().int(),
  createdAt: z.string(),
});
export type DilemmaSummary = z.infer<typeof summarySchema>;

export function summaryOf(d: Dilemma): DilemmaSummary {
  return {
    id: d.id,
    title: d.title,
    theme: d.theme,
    municipalities: d.municipalities,
    relatedPlanId: d.relatedPlanId,
    visibility: d.visibility,
    wantsAgenda: d.wantsAgenda,
    status: d.status,
    author: d.author,
    recognisedCount: d.recognisedBy.length,
    responseCount: d.responseCount,
    createdAt: d.createdAt,
  };
}

/** One page of a list: the rows shown, where the next page starts, and whether the read stopped at its cap. */
export interface ListPage {
  items: DilemmaSummary[];
  /** Set when there is (or may be) more: the "Meer" button carries it. */
  next?: string;
  /** True when the read stopped at its limit before it knew whether more match (the card says so). */
  capped: boolean;
}
