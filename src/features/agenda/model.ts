// BO meetings, their agendas and digest subscriptions: zod schemas and the types inferred from them.
import { z } from 'zod';
import { typedText } from '../../text';

export const LIMITS = { title: 150, summary: 1000, submittedBy: 120, link: 500, links: 5, place: 200, items: 30 } as const;

export const ITEM_TYPES = ['besluitvorming', 'bespreking', 'informatie'] as const;
const itemTypeSchema = z.enum(ITEM_TYPES);
export type ItemType = z.infer<typeof itemTypeSchema>;

const MEETING_STATUSES = ['gepland', 'vastgesteld', 'afgerond'] as const;

/** Fixed items: a meeting opens with these and ends with rondvraag (their titles are in messages.ts). */
export const STANDARD_ITEMS = ['opening', 'verslag', 'rondvraag'] as const;

const itemSchema = z.object({
  id: z.string().regex(/^[a-z0-9]{6,16}$/),
  standard: z.enum(STANDARD_ITEMS).optional(),
  type: itemTypeSchema,
  title: z.string(),
  summary: z.string(),
  submittedBy: z.string(),
  links: z.array(z.string()),
  /** What it comes from: a dilemma, a plan, a session opbrengst. */
  source: z.object({ capability: z.string(), ref: z.string() }).optional(),
});
export type AgendaItem = z.infer<typeof itemSchema>;

export const meetingIdSchema = z.string().regex(/^BO-\d{4}-\d{2}-\d{2}$/);

export const meetingSchema = z.object({
  id: meetingIdSchema,
  startsAt: z.string(),
  place: z.string(),
  status: z.enum(MEETING_STATUSES),
  items: z.array(itemSchema),
  /** When each item came on (item id → ISO time): the digest's "newly on the agenda". */
  addedAt: z.record(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** When the agenda was fixed: the moment of its "Digest nu versturen", so that digest goes out once. */
  fixedAt: z.string().optional(),
});
export type BoMeeting = z.infer<typeof meetingSchema>;

/** Typed text, without control characters (a forged submit cannot garble a card). */
const text = typedText;

export const itemInputSchema = z.object({
  type: itemTypeSchema,
  title: z.string().trim().min(1, 'required').max(LIMITS.title, 'tooLong'),
  summary: z.string().trim().max(LIMITS.summary, 'tooLong'),
  submittedBy: z.string().trim().max(LIMITS.submittedBy, 'tooLong'),
  links: z
    .array(z.string().trim().url('badLink').max(LIMITS.link, 'tooLong').refine((u) => /^https?:\/\//i.test(u), 'badLink'))
    .max(LIMITS.links, 'tooMany'),
});
export type ItemInput = z.infer<typeof itemInputSchema>;
export type ItemField = keyof ItemInput;

/** The item form: its inputs carry the item's id (or "new") as suffix, since one card holds several forms. */
export const itemSubmitSchema = z
  .object({ meetingId: meetingIdSchema, itemId: z.string().regex(/^[a-z0-9]{6,16}$/).optional() })
  .passthrough()
  .transform((v) => {
    const suffix = `-${v.itemId ?? 'new'}`;
    const field = (name: string) => text.parse((v as Record<string, unknown>)[`${name}${suffix}`]);
    return {
      meetingId: v.meetingId,
      itemId: v.itemId,
      type: field('itemType'),
      title: field('itemTitle'),
      summary: field('itemSummary'),
      submittedBy: field('itemSubmittedBy'),
      links: field('itemLinks'),
    };
  });

export const itemRefSchema = z.object({ meetingId: meetingIdSchema, itemId: z.string().regex(/^[a-z0-9]{6,16}$/) });
export const moveSchema = itemRefSchema.extend({ direction: z.enum(['up', 'down']) });
export const meetingRefSchema = z.object({ meetingId: meetingIdSchema });

export const placeSchema = z.object({
  meetingId: meetingIdSchema,
  capability: z.string().regex(/^[a-z-]{2,30}$/),
  ref: z.string().min(1).max(60),
  itemType: z.enum(ITEM_TYPES).optional(),
});
export const newMeetingSchema = z.object({ meetingDate: text, meetingTime: text, meetingPlace: text });
