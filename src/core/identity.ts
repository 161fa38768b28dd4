// The step every turn takes: who is acting. Looked up once per turn (started early, while the rest of the
// turn gets ready) and handed to each route; an unknown person is told how to get access.
import type { TurnContext } from 'botbuilder';
import type { Directory, PersonTurn } from '../capability';
import type { Member } from '../identity';
import { t, type Locale } from '../i18n';
import { personOf } from '../turn';

const LOOKUP = Symbol('member');

export class Identify {
  constructor(private readonly directory: Directory) {}

  /** Starts the member lookup for this turn; later calls in the same turn share it. */
  start(context: TurnContext): Promise<Member | undefined> {
    let lookup = context.turnState.get(LOOKUP) as Promise<Member | undefined> | undefined;
    if (!lookup) {
      const person = personOf(context);
      lookup = person ? this.directory.resolve(person) : Promise.resolve(undefined);
      lookup.catch(() => undefined); // awaited (and reported) by whoever needs it
      context.turnState.set(LOOKUP, lookup);
    }
    return lookup;
  }

  /** The member behind this turn, or undefined; says nothing (for invokes, where Teams shows its own text). */
  memberIfKnown(context: TurnContext): Promise<Member | undefined> {
    return this.start(context);
  }

  /** The member behind this turn; an unknown person hears how to get access, and undefined comes back. */
  async memberOrOnboard(context: TurnContext, locale: Locale): Promise<Member | undefined> {
    const person = personOf(context);
    if (!person) {
      await context.sendActivity(t(locale, 'refused.noIdentity'));
      return undefined;
    }
    const member = await this.start(context);
    if (member) return member;
    const turn: PersonTurn = { context, person, locale };
    await this.directory.onboard(turn);
    return undefined;
  }

  organisationName(id: string): string {
    return this.directory.organisationName(id);
  }
}
