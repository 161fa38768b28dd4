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

/** A rule of the domain says no; `reason` names which, for the route to explain. */
export class RuleViolation extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}
