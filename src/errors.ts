// Domain errors that services throw and routes turn into a sentence. No Teams types.

/** Why an action is not allowed; each reason has its own sentence for the person. */
export type DeniedReason = 'secretariaatOnly' | 'notAuthor' | 'role';

/** The actor may not do this (checked in services, so forged card submits stop here too). */
export class AccessDenied extends Error {
  constructor(readonly reason: DeniedReason = 'secretariaatOnly') {
    super(`Access denied: ${reason}`);
  }
}

/** The thing a card or command points to does not exist, or the actor may not know it exists. */
export class NotFound extends Error {}

/** Every domain rule that can say no; each has its own sentence (src/turn.ts). */
export type RuleReason =
  | 'lastSecretariaat'
  | 'notNew'
  | 'withdrawn'
  | 'responseEmpty'
  | 'responseTooLong'
  | 'outcomeRequired'
  | 'outcomeTooLong'
  | 'statusOrder'
  | 'ownDilemma';

/** A rule of the domain says no; `reason` names which, `vars` carry the numbers the sentence needs. */
export class RuleViolation extends Error {
  constructor(
    readonly reason: RuleReason,
    readonly vars: Record<string, number> = {},
  ) {
    super(reason);
  }
}
