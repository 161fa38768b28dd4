// Who is in the room: in a group chat or channel the bot does not know who reads along. Member-only content
// is shown there only when every person in it is a member who may read it (roster from Teams, cached briefly);
// the core's guard (guard.ts) asks the room before a route declared for members runs in a shared chat.
import { TeamsInfo, type TurnContext } from 'botbuilder';
import type { Directory } from '../capability';
import type { Member } from '../identity';
import { errorFields, type Logger } from '../log';
import { isShared, tenantOf } from '../turn';

interface Person {
  aadObjectId: string;
  tenantId: string;
}

const MAX_ROSTER = 2_000;

/** Whether everyone who reads along may see something: 'unknown' when Teams could not say who reads along. */
export type RoomVerdict = 'yes' | 'no' | 'unknown';

export class Room {
  private readonly cache = new Map<string, { people: Person[] | undefined; until: number }>();

  constructor(
    /** The members directory; given late, because it is built from the capabilities, which get this room. */
    private readonly directory: () => Directory,
    private readonly log: Logger,
    private readonly ttlMs = 60_000,
  ) {}

  /**
   * 'yes' in a personal chat; in a shared one 'yes' only when Teams names everyone in it and each is a member
   * for whom `may` holds, 'no' when someone is not. When the roster cannot be had (Teams failed, or someone
   * in it has no name), the answer is 'unknown', which callers treat as no: nothing goes to unknown readers.
   */
  async verdict(context: TurnContext, may: (member: Member) => boolean): Promise<RoomVerdict> {
    if (!isShared(context)) return 'yes';
    const people = await this.roster(context);
    if (!people?.length) return 'unknown';
    for (const person of people) {
      const member = await this.directory().resolve({ ...person, name: '' });
      if (!member || !may(member)) return 'no';
    }
    return 'yes';
  }

  /** True only when everyone who reads along may see it (see `verdict`). */
  async everyoneMay(context: TurnContext, may: (member: Member) => boolean): Promise<boolean> {
    return (await this.verdict(context, may)) === 'yes';
  }

  private async roster(context: TurnContext): Promise<Person[] | undefined> {
    const channelData = context.activity.channelData as { team?: { id?: unknown } } | undefined;
    const key = typeof channelData?.team?.id === 'string' ? channelData.team.id : context.activity.conversation.id;
    const cached = this.cache.get(key);
    if (cached && cached.until > Date.now()) return cached.people;
    let people: Person[] | undefined = [];
    try {
      const fallbackTenant = tenantOf(context.activity) ?? '';
      let token: string | undefined;
      do {
        const page = await TeamsInfo.getPagedMembers(context, 500, token);
        for (const m of page.members) {
          if (!m.aadObjectId) {
            // Someone Teams cannot name (an anonymous or federated participant): who reads along is unknown.
            people = undefined;
            break;
          }
          people.push({ aadObjectId: m.aadObjectId.toLowerCase(), tenantId: (m.tenantId || fallbackTenant).toLowerCase() });
        }
        token = page.continuationToken;
      } while (token && people && people.length < MAX_ROSTER);
      if (people && people.length >= MAX_ROSTER) people = undefined;
    } catch (err) {
      this.log.warn({ event: 'room.rosterFailed', err: errorFields(err) }, 'could not read who is in the conversation');
      people = undefined;
    }
    if (this.cache.size > 1_000) this.cache.clear();
    this.cache.set(key, { people, until: Date.now() + this.ttlMs });
    return people;
  }
}
