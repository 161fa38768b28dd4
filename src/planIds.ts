// The shape of a plan id, in a lower layer: the plans capability makes plan ids, and other capabilities that
// point at a plan (a dilemma's plan field) must accept every id it makes. Both import it from here, since
// plans' index loads the dilemmas capability and a dilemma module loading plans would be a require cycle.

/** A plan id is "<municipality>:<name>", each part cut to its length. */
export const PLAN_ID_PARTS = { municipality: 60, name: 100 } as const;
/** The longest plan id: what a field that points at a plan must hold. */
export const PLAN_ID_MAX_LENGTH = PLAN_ID_PARTS.municipality + 1 + PLAN_ID_PARTS.name;
