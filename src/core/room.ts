// Who is in the room: in a group chat or channel the bot does not know who reads along. Member-only content
// is shown there only when every person in it is a member who may read it (roster from Teams, cached briefly);
// otherwise the capability answers with a short pointer to the personal chat.
import { TeamsInfo, type TurnContext } from 'botbuilder';
import type { Directory, MemberTurn, Routes } from '../capability';
import { t, type Locale } from '../i18n';
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

/**
 * Wraps a capability's routes so that, in a group chat or channel, each command, button and Action.Execute
 * runs only when everyone in it is a member for whom `may` holds; otherwise it answers with `pointer` (a
 * sentence sending people to their personal chat; a typeahead gets no options). In a personal chat nothing changes.
 */
export function onlyAmongMembers(room: Room, routes: Routes, may: (member: Member) => boolean, pointer: (locale: Locale) => string): Routes {
  /** Undefined when the route may run; else the sentence to answer with. */
  const refusal = async (turn: MemberTurn): Promise<string | undefined> => {
    if (!isShared(turn.context)) return undefined;
    const verdict = await room.verdict(turn.context, may);
    return verdict === 'yes' ? undefined : verdict === 'no' ? pointer(turn.locale) : t(turn.locale, 'room.unknown');
  };
  const guard = <T extends { handler(turn: MemberTurn): Promise<void> }>(route: T): T => ({
    ...route,
    handler: async (turn: MemberTurn) => {
      const refused = await refusal(turn);
      return refused === undefined ? route.handler(turn) : void (await turn.context.sendActivity(refused));
    },
  });
  return {
    ...routes,
    ...(routes.commands ? { commands: routes.commands.map(guard) } : {}),
    ...(routes.actions ? { actions: routes.actions.map(guard) } : {}),
    ...(routes.executes
      ? { executes: routes.executes.map((e) => ({ ...e, handler: async (turn: MemberTurn) => (await refusal(turn)) ?? e.handler(turn) })) }
      : {}),
    ...(routes.searches
      ? { searches: routes.searches.map((s) => ({ ...s, handler: async (turn: MemberTurn, query: Parameters<typeof s.handler>[1]) => ((await open(turn)) ? s.handler(turn, query) : []) })) }
      : {}),
  };
}
