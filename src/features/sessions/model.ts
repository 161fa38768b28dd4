// Sessions: the learning track's meetings and theme sessions, and who signed up. zod schemas and their types.
import { z } from 'zod';
import { typedText } from '../../text';
import { roleSchema, ROLES } from '../../identity';

export const LIMITS = {
  title: 120,
  description: 2000,
  location: 300,
  host: 120,
  facilitatorName: 120,
  opbrengst: 1000,
  capacity: 500,
} as const;

export const SERIES = ['praktijkleergang', 'themasessie', 'overig'] as const;
const seriesSchema = z.enum(SERIES);

/**
 * What is stored. "vol" (full) is not stored: it follows from the seats, so it can never disagree with them.
 * "gesloten" is set by the secretariaat; after the deadline a session counts as closed too.
 */
const STORED_STATES = ['open', 'gesloten', 'geannuleerd'] as const;
const storedStateSchema = z.enum(STORED_STATES);
/** What a person is shown. */
export type SessionStatus = 'open' | 'vol' | 'gesloten' | 'geannuleerd' | 'voorbij';

export const sessionIdSchema = z.string().regex(/^S-\d{3,6}$/);

/** A member by their ids, with the name shown on lists. */
const personRefSchema = z.object({ tenantId: z.string(), aadObjectId: z.string(), name: z.string() });
export type PersonRef = z.infer<typeof personRefSchema>;

export const sessionSchema = z.object({
  id: sessionIdSchema,
  series: seriesSchema,
  title: z.string(),
  description: z.string(),
  /** Instants in UTC (ISO); shown and written to calendars in Europe/Amsterdam. */
  startsAt: z.string(),
  endsAt: z.string(),
  signupDeadline: z.string(),
  location: z.string(),
  hostOrganisation: z.string(),
  facilitatorName: z.string(),
  /** The member who leads it (role gespreksleider), if they use BO Wonen. */
  facilitator: personRefSchema.nullable(),
  capacity: z.number().int().min(1),
  audience: z.array(roleSchema).min(1),
  state: storedStateSchema,
  /** Goes up whenever a calendar would show something else (time, place, title, cancelled): the .ics SEQUENCE. */
  revision: z.number().int().min(0),
  confirmedCount: z.number().int().min(0),
  waitingCount: z.number().int().min(0),
  /** The last arrival number handed out: registrations are numbered in the order they got in. */
  lastArrival: z.number().int().min(0),
  opbrengst: z.string(),
  opbrengstAt: z.string(),
  /** Set by the agenda once an agenda item holds the opbrengst; empty while it still waits for one. */
  opbrengstAgendaRef: z.string().default(''),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Session = z.infer<typeof sessionSchema>;

/** What every new session starts with: open, no sign-ups, no opbrengst yet. */
export function newSessionState(now: Date): Pick<
  Session,
  'state' | 'revision' | 'confirmedCount' | 'waitingCount' | 'lastArrival' | 'opbrengst' | 'opbrengstAt' | 'opbrengstAgendaRef' | 'createdAt' | 'updatedAt'
> {
  return {
    state: 'open',
    revision: 0,
    confirmedCount: 0,
    waitingCount: 0,
    lastArrival: 0,
    opbrengst: '',
    opbrengstAt: '',
    opbrengstAgendaRef: '',
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
}

const REGISTRATION_STATES = ['bevestigd', 'wachtlijst', 'afgemeld'] as const;

export const registrationSchema = z.object({
  sessionId: sessionIdSchema,
  tenantId: z.string(),
  aadObjectId: z.string(),
  name: z.string(),
  organisationId: z.string(),
  role: roleSchema,
  state: z.enum(REGISTRATION_STATES),
  /** Arrival number: the waiting list is served in this order. */
  arrival: z.number().int().min(1),
  signedUpAt: z.string(),
  updatedAt: z.string(),
  attended: z.boolean(),
});
export type Registration = z.infer<typeof registrationSchema>;

/** What the create and edit form sends, after the route has turned the card's strings into these. */
export const sessionInputSchema = z.object({
  series: z.enum(SERIES, { errorMap: () => ({ message: 'invalidChoice' }) }),
  title: z.string().trim().min(1, 'required').max(LIMITS.title, 'tooLong'),
  description: z.string().trim().max(LIMITS.description, 'tooLong'),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'invalidDate'),
  startTime: z.string().regex(/^\d{2}:\d{2}$/, 'invalidTime'),
  endTime: z.string().regex(/^\d{2}:\d{2}$/, 'invalidTime'),
  deadlineDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'invalidDate'),
  location: z.string().trim().min(1, 'required').max(LIMITS.location, 'tooLong'),
  hostOrganisation: z.string().trim().max(LIMITS.host, 'tooLong'),
  facilitatorName: z.string().trim().max(LIMITS.facilitatorName, 'tooLong'),
  /** A person key of a gespreksleider, or empty. */
  facilitator: z.string().max(200),
  capacity: z.coerce.number({ invalid_type_error: 'invalidNumber' }).int('invalidNumber').min(1, 'capacityMin').max(LIMITS.capacity, 'capacityMax'),
  audience: z.array(z.enum(ROLES)).min(1, 'required'),
});
export type SessionInput = z.infer<typeof sessionInputSchema>;
export type SessionField = keyof SessionInput;

// ---- Card submits (Teams sends every input as text; anything else is forged or stale) ----

/** Typed text, without control characters (a forged submit cannot garble a card). */
const text = typedText;

export const sessionRefSubmitSchema = z.object({ sessionId: sessionIdSchema });

export const sessionFormSubmitSchema = z.object({
  submissionId: z.string().regex(/^[A-Za-z0-9-]{8,64}$/),
  editId: sessionIdSchema.optional(),
  series: text,
  title: text,
  description: text,
  date: text,
  startTime: text,
  endTime: text,
  deadlineDate: text,
  location: text,
  hostOrganisation: text,
  facilitatorName: text,
  facilitator: text,
  capacity: text,
  audience: text,
});

export const attendanceSubmitSchema = z.object({ sessionId: sessionIdSchema, attended: text, from: z.number().int().min(0).max(100_000).optional() });
export const opbrengstSubmitSchema = z.object({ sessionId: sessionIdSchema, opbrengst: text });
