// Domain errors that services throw and the core turns into a sentence. No Teams types.
import type { Locale } from './i18n';

/** A sentence in the person's language, filled in when the error is answered. */
type Sentence = (locale: Locale) => string;

/**
 * A "no" that a person caused (not allowed, a rule of the domain). Each carries its capability's reason and
 * the sentence for it, so a role refusal in one capability never answers with another's words.
 */
export abstract class Refusal extends Error {
  constructor(
    readonly capability: string,
    readonly reason: string,
    readonly sentence: Sentence,
  ) {
    super(`${capability}: ${reason}`);
  }
}

/** The actor may not do this (checked in services, so forged card submits stop here too). */
export class AccessDenied extends Refusal {}

/** A rule of the domain says no. */
export class RuleViolation extends Refusal {}

/** The thing a card or command points to does not exist, or the actor may not know it exists. */
export class NotFound extends Error {}

/**
 * The refusals of one capability: reason → sentence key in its messages. `denied` and `rule` accept only the
 * reasons declared here, and a test checks every declared reason has a sentence in both languages.
 */
export function refusals<R extends string, K extends string>(
  capability: string,
  declared: Record<R, K>,
  translate: (locale: Locale, key: K, vars?: Record<string, string | number>) => string,
) {
  const sentence = (reason: R, vars: Record<string, string | number>): Sentence => (locale) =>
    translate(locale, declared[reason], vars);
  return {
    capability,
    declared: declared as Readonly<Record<string, string>>,
    denied: (reason: R, vars: Record<string, string | number> = {}) => new AccessDenied(capability, reason, sentence(reason, vars)),
    rule: (reason: R, vars: Record<string, string | number> = {}) => new RuleViolation(capability, reason, sentence(reason, vars)),
  };
}

