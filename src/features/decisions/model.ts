// Decisions (besluiten) and agreements (bestuurlijke afspraken) of a BO meeting, per agenda item: zod schemas
// and the types inferred from them. An agreement has an owner (a member or an organisation) and a due date.
import { z } from 'zod';
import { typedText } from '../../text';
import { meetingIdSchema } from '../agenda';

export const LIMITS = {
  text: 1000,
  note: 300,
  /** Decisions and agreements on one meeting: a BO of 10–20 items rarely records more than a few per item. */
  perMeeting: 60,
  /** Agreements on one `acties` card; more are counted, not shown. */
  onCard: 20,
} as const;

export const KINDS = ['besluit', 'afspraak'] as const;
const kindSchema = z.enum(KINDS);

const decisionIdSchema = z.string().regex(/^A-[a-f0-9]{10}$/);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const decisionSchema = z.object({
  id: decisionIdSchema,
  meetingId: meetingIdSchema,
  /** When the meeting started (ISO): lists sort and group by it without reading the agenda. */
  meetingAt: z.string(),
  itemId: z.string(),
  /** The item's title when the decision was recorded (the agenda may change later). */
  itemTitle: z.string(),
  kind: kindSchema,
  text: z.string(),
  /** The owner of an agreement: a member (tenant and object id, name) within an organisation, or the organisation alone. */
  ownerTenantId: z.string(),
  ownerAadObjectId: z.string(),
  ownerName: z.string(),
  ownerOrganisationId: z.string(),
  /** Due date of an agreement (Amsterdam calendar day), empty for a decision. */
  dueDate: z.union([day, z.literal('')]),
  status: z.enum(['open', 'gedaan']),
  doneAt: z.string(),
  doneNote: z.string(),
  /** A dilemma this decision answered (it moved to "besproken" with the text as outcome). */
  dilemmaId: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Decision = z.infer<typeof decisionSchema>;

export function isAgreement(d: Decision): boolean {
  return d.kind === 'afspraak';
}

// ---- card submits (Teams sends every input as text; anything else is forged or stale) ----

/** Typed text, without control characters (a forged submit cannot garble a card). */
const text = typedText;

/**
 * An owner choice: `m:<object id>` for a member (Entra object ids are unique across tenants; short values keep
 * a choice of 60 members small), `o:<organisation id>` for an organisation.
 */
export const ownerChoiceSchema = z.union([
  z.string().regex(/^m:[0-9a-f-]{1,64}$/),
  z.string().regex(/^o:[a-z0-9-]{2,60}$/),
]);

export const recordInputSchema = z
  .object({
    kind: z.enum(KINDS, { errorMap: () => ({ message: 'kind' }) }),
    text: z.string().trim().min(1, 'textRequired').max(LIMITS.text, 'textTooLong'),
    owner: z.string(),
    dueDate: z.string().trim(),
  })
  .superRefine((v, ctx) => {
    if (v.kind !== 'afspraak') return;
    if (!ownerChoiceSchema.safeParse(v.owner).success) ctx.addIssue({ code: 'custom', path: ['owner'], message: 'ownerRequired' });
    if (!day.safeParse(v.dueDate).success || Number.isNaN(Date.parse(v.dueDate))) ctx.addIssue({ code: 'custom', path: ['dueDate'], message: 'dueDateRequired' });
  });
export type RecordProblem = 'kind' | 'textRequired' | 'textTooLong' | 'ownerRequired' | 'dueDateRequired';

export const recordSubmitSchema = z.object({
  meetingId: meetingIdSchema,
  decisionItem: text,
  decisionKind: text,
  decisionText: text,
  decisionOwner: text,
  decisionDue: text,
});

export const meetingRefSubmitSchema = z.object({ meetingId: meetingIdSchema });
export const doneSubmitSchema = z.object({ id: decisionIdSchema }).passthrough();
export const decisionRefSubmitSchema = z.object({ id: decisionIdSchema });
export const changeSubmitSchema = z.object({ id: decisionIdSchema, agreementOwner: text, agreementDue: text });
export const listSubmitSchema = z.object({ by: z.enum(['mine', 'meeting', 'organisation']).optional() });
