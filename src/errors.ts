// Domain errors that services throw and routes turn into a Dutch sentence. No Teams types.

/** The actor's role may not do this (checked in services, so forged card submits stop here too). */
export class AccessDenied extends Error {
  constructor(message = 'Not allowed for this role') {
    super(message);
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
