// Expertise: what a member says they know about, and whether others may find them. zod schemas and types.
import { z } from 'zod';
import { THEMES } from '../dilemmas';
import { typedText } from '../../text';

export const themeIds = THEMES.map((t) => t.id);
export const LIMITS = { themes: 5, words: 200, topic: 200, upn: 200 } as const;
/** At most this many people in one answer, and this many similar dilemmas before saving. */
export const MAX_PEOPLE = 5;
export const MAX_SIMILAR = 3;

export const profileSchema = z.object({
  themes: z.array(z.string()).max(LIMITS.themes),
  /** A few words of their own ("grondbeleid, erfpacht"): only what they typed. */
  words: z.string().max(LIMITS.words),
  /** May others find them? Default yes, on what they did in BO Wonen (and on their own words, if any). */
  findable: z.boolean(),
  /** Their sign-in name in Teams, learnt from Teams, for the "start a chat" link (empty when unknown). */
  upn: z.string().max(LIMITS.upn),
  updatedAt: z.string(),
});
export type Profile = z.infer<typeof profileSchema>;

export const DEFAULT_PROFILE: Omit<Profile, 'updatedAt'> = { themes: [], words: '', findable: true, upn: '' };

const text = typedText;

/** What the `mijn expertise` form sends (Teams sends a multi-choice as "a,b"). */
export const profileSubmitSchema = z.object({
  themes: text,
  words: text,
  findable: text,
});

export const profileInputSchema = z.object({
  themes: z.array(z.enum(themeIds as [string, ...string[]])).max(LIMITS.themes, 'tooManyThemes'),
  words: z.string().trim().max(LIMITS.words, 'wordsTooLong'),
  findable: z.boolean(),
});
export type ProfileInput = z.infer<typeof profileInputSchema>;

export const whoKnowsSubmitSchema = z.object({ id: z.string().regex(/^D-\d{4}-\d{3,6}$/) });

/** "Herkenbaar" on the similar-dilemmas card: which dilemma, and the form's values to keep. */
export const similarRecogniseSchema = z.object({
  id: z.string().regex(/^D-\d{4}-\d{3,6}$/),
  form: z.record(z.string().max(600)),
  recognised: z.array(z.string().max(20)).max(10).default([]),
  /** The card's inputs: what was typed, perhaps changed on this card. */
  title: typedText.transform((v) => v.slice(0, 120)),
  description: typedText.transform((v) => v.slice(0, 4000)),
});

/** Why someone is suggested, in counts (the card turns these into sentences). */
export interface Reasons {
  responded: number;
  talk: number;
  logged: number;
  recognised: number;
  /** Themes and own words that match, as they stated them. */
  stated: string[];
}

export interface Suggestion {
  tenantId: string;
  aadObjectId: string;
  name: string;
  organisation: string;
  role: string;
  upn: string;
  score: number;
  reasons: Reasons;
}

export interface SimilarDilemma {
  id: string;
  title: string;
  theme: string;
  score: number;
}
