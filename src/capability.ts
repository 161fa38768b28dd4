// The contract every capability (a folder under src/features/) fulfils: what it owns and what it offers.
// The bot holds a list of these (src/capabilities.ts); adding a capability is a folder and a line there.
import type { Application, Query, TurnState } from '@microsoft/teams-ai';
import type { MessagingExtensionResult, TurnContext } from 'botbuilder';
import type { Request, Response } from 'restify';
import type { AdaptiveCard } from './cards/adaptive';
import type { Config } from './config';
import type { AuditSentences, AuditSink } from './core/audit';
import type { Links } from './core/links';
import type { Room } from './core/room';
import type { Locale, Messages } from './i18n';
import type { Member, Person, PersonId, Role } from './identity';
import type { Logger } from './log';
import type { Outbox } from './proactive/outbox';
import type { ReferenceStore } from './proactive/references';
import type { Scheduler } from './proactive/scheduler';
import type { Tables } from './storage/tables';

/** What the core gives every capability. */
export interface Core {
  config: Config;
  log: Logger;
  tables: Tables;
  references: ReferenceStore;
  /** Record every change by the secretariaat here (who, what, before, after). */
  audit: AuditSink;
  /** Signed, expiring links to files the bot serves. */
  links: Links;
  /** Who reads along in a shared chat: show member-only content there only when everyone may read it. */
  room: Room;
  /** Durable proactive messages: `outbox.enqueue(...)`, with a renderer registered per kind in build(). */
  outbox: Outbox;
  /** Work at set moments, once across all instances. */
  scheduler: Scheduler;
  /** What capabilities contribute to others (filled once every capability is built). */
  contributions: Contributions;
}

/** Who reads a digest, and where (a channel copy is read as a shared chat). */
export interface DigestViewer {
  member: Member;
  locale: Locale;
  shared: boolean;
}

/** A part of a person's digest, with buttons into the details. */
export interface DigestSection {
  title: string;
  items: Array<{ text: string; action?: { title: string; data: Record<string, unknown> } }>;
}

/** A capability's contribution to each person's digest: only what that viewer may see. */
export interface DigestSource {
  sections(viewer: DigestViewer, since: Date): Promise<DigestSection[]>;
}

/** Something the secretariaat may put on the next BO agenda (a dilemma, a session opbrengst, a plan). */
export interface AgendaCandidate {
  /** The capability it comes from, e.g. 'dilemmas'. */
  source: string;
  /** Its id there, e.g. 'D-2026-014'. */
  ref: string;
  title: string;
  summary: string;
  /** Organisation id of who brings it in, if known. */
  organisationId?: string;
  /** What its capability does once it is on an agenda (a dilemma becomes "geagendeerd", an opbrengst is marked). */
  onPlaced?(meetingId: string): Promise<void>;
}

/** One choice in a list a capability offers others (e.g. a plan for the dilemma form). */
export interface Choice {
  id: string;
  name: string;
}

export interface Contributions {
  digest: Array<{ capability: string; source: DigestSource }>;
  agendaCandidates: Array<{ capability: string; list: (actor: Member) => Promise<AgendaCandidate[]> }>;
  /** Lists of choices by name (e.g. 'plans'), offered by a capability; empty until every capability is built. */
  choices: Record<string, () => Choice[]>;
}

export type BotApp = Application<TurnState>;

/** A member's turn: who they are and the language to answer in. */
export interface MemberTurn {
  context: TurnContext;
  member: Member;
  locale: Locale;
  /** The words after the command, e.g. "Hilversum" in "plannen Hilversum". */
  args: string;
}

/** A turn of someone who may not be a member yet (asking for access). */
export interface PersonTurn {
  context: TurnContext;
  person: Person;
  locale: Locale;
}

/**
 * Where a route runs. 'personal': only in a personal chat. 'members': in a group chat or channel only when
 * Teams names everyone in it and each is a member the route is for (an unknown roster counts as no). 'open':
 * anywhere; the handler then shows only what anyone there may see.
 */
type Where = 'personal' | 'members' | 'open';

/** Who a route is for. The core applies it before the handler runs; the service checks the roles again. */
export interface Audience {
  /** The roles it is for; without, every member. */
  roles?: readonly Role[];
  where: Where;
}

/** A capability's own words for the core's refusals; without them the core's general sentences are used. */
export interface RefusalWords {
  /** The person's role is not among the route's roles. */
  role?(locale: Locale): string;
  /** A 'personal' route used in a shared chat. */
  personalOnly?(locale: Locale): string;
  /** A 'members' route in a shared chat where someone may not see it. */
  notEveryone?(locale: Locale): string;
}

/** Fields every member route has: who it is for, and its own refusal words, when they differ from its capability's. */
interface Guarded {
  audience?: Audience;
  refusals?: RefusalWords;
}

export interface Command extends Guarded {
  /** The first word that picks this command (lower case), e.g. ['plannen']. */
  words: readonly string[];
  handler(turn: MemberTurn): Promise<void>;
}

/** The jobs the welcome card groups its buttons by, each under its own heading (in this order). */
export const MENU_GROUPS = ['dilemmas', 'plans', 'meetings', 'manage', 'more'] as const;
type MenuGroup = (typeof MENU_GROUPS)[number];

/** A button on the welcome card. Without roles, every member sees it; without a group it goes under "Meer". */
export interface MenuItem {
  label(locale: Locale): string;
  command: string;
  roles?: readonly Role[];
  group?: MenuGroup;
}

/** An Action.Submit whose data carries `verb`; runs for members only. */
export interface CardAction extends Guarded {
  verb: string;
  handler(turn: MemberTurn): Promise<void>;
}

/** An Action.Submit open to people who are not members yet (how they become one). */
export interface OpenCardAction {
  verb: string;
  handler(turn: PersonTurn): Promise<void>;
}

/**
 * An Action.Execute (Universal Actions). The answer goes only to the person who pressed, as the invoke
 * response: a card that replaces theirs, or a sentence. Teams also sends these by itself (a card's refresh),
 * so nothing is posted to the chat. `gone` replaces an old card whose content the person may no longer see.
 */
export interface ExecuteAction extends Guarded {
  verb: string;
  handler(turn: MemberTurn): Promise<AdaptiveCard | string>;
  gone?(locale: Locale): AdaptiveCard;
  /** True for Teams' automatic refresh: a refusal then replaces the card with `gone` rather than a sentence. */
  isRefresh?: boolean;
}

/** One option of a card's dynamic typeahead: what the person reads, and the value the input gets. */
export interface SearchChoice {
  title: string;
  value: string;
}

/**
 * Answers the dynamic typeahead of an `Input.ChoiceSet` whose `choices.data` is `{type: 'Data.Query', dataset}`:
 * Teams sends an `application/search` invoke while the person types. Members only; the core caps the answer
 * at what Teams shows (15 options).
 */
export interface SearchRoute extends Guarded {
  dataset: string;
  handler(turn: MemberTurn, query: { text: string; skip: number; top: number }): Promise<SearchChoice[]>;
}

/** A plain HTTP route the bot serves beside /api/messages (e.g. a calendar file at a signed link). */
export interface HttpRoute {
  method: 'get' | 'post';
  /** A restify path, e.g. '/calendar/:token'; capabilities keep to their own prefix. */
  path: string;
  handler(req: Request, res: Response): Promise<void>;
}

/** A file sent to the bot in a chat (Teams' file download info); the handler reads the activity's attachments. */
export interface FileUpload extends Guarded {
  /** Whether this route takes these attachments (e.g. by content type). */
  accepts(attachments: ReadonlyArray<{ contentType: string }>): boolean;
  handler(turn: MemberTurn): Promise<void>;
}

/** A search message extension (the compose box or the command bar): Teams' query and, optionally, a chosen item. */
export interface SearchExtension extends Guarded {
  /** The command id in the app manifest. */
  commandId: string;
  query(turn: MemberTurn, query: Query<Record<string, unknown>>): Promise<MessagingExtensionResult>;
  /** A result the person picked (its preview's `tap.value`). */
  select?(turn: MemberTurn, item: unknown): Promise<MessagingExtensionResult>;
}

export interface Routes {
  /** Who the routes below are for, unless a route says otherwise. The core applies it before each handler. */
  audience: Audience;
  /** The capability's own words when the core refuses one of its routes. */
  refusals?: RefusalWords;
  menu?: MenuItem[];
  commands?: Command[];
  actions?: CardAction[];
  openActions?: OpenCardAction[];
  executes?: ExecuteAction[];
  /** Dynamic typeahead in cards (`Data.Query`), one per dataset. */
  searches?: SearchRoute[];
  files?: FileUpload[];
  searchExtensions?: SearchExtension[];
  http?: HttpRoute[];
}

/** Who is acting: provided by exactly one capability (members), used by the core on every turn. */
export interface Directory {
  resolve(person: Person): Promise<Member | undefined>;
  /** A member's name, for the logboek (does not count as them being seen). */
  nameOf(person: PersonId): Promise<string | undefined>;
  /** Members who have not used the bot since `cutoff` (for the retention job; configured admins excluded). */
  inactiveSince(cutoff: Date): Promise<PersonId[]>;
  /** Tells an unknown person how to get access (in a personal chat: the access form). */
  onboard(turn: PersonTurn): Promise<void>;
  organisationName(id: string): string;
}

/** What a capability holds about one person (AVG/GDPR): export it, or erase it. */
interface PrivacyHooks {
  /** Everything this capability holds about the person, as plain JSON. */
  export(person: PersonId): Promise<Record<string, unknown>>;
  /** Erases or anonymises it; running it twice changes nothing more. */
  erase(person: PersonId): Promise<void>;
}

/** A command in the Teams app's command menu. */
export interface ManifestCommand {
  /** The command word as the menu shows it and sends it (Dutch). */
  title: string;
  /** The word for people whose Teams is in English; a command the bot answers too (default: the Dutch title). */
  titleEn?: string;
  description: { nl: string; en: string };
  scopes: ReadonlyArray<'personal' | 'team' | 'groupChat'>;
}

/**
 * One of a capability's messages built from the largest data its model allows (most rows, longest fields).
 * The worst-case test walks every capability's list and holds each to Teams' size and action limits.
 */
export interface WorstCase {
  /** Names the message in a failure, e.g. 'dilemmas.detail (30 responses)'. */
  name: string;
  /** The card as the bot would send it, or a text message. */
  build(): AdaptiveCard | string | Promise<AdaptiveCard | string>;
}

/** Returns the service of a capability built earlier in the list. */
export type Need = <T>(capability: Capability<T, string>) => T;

export interface Capability<S = unknown, N extends string = string> {
  name: N;
  /** The tables it owns (logical names; its store.ts knows their keys). */
  tables: readonly string[];
  messages: Messages;
  /** Its refusal reasons and their sentence keys (from errors.ts `refusals`). */
  refusals?: { capability: string; declared: Readonly<Record<string, string>> };
  manifestCommands?: readonly ManifestCommand[];
  /** Builds its service (the rules) from storage and the services of capabilities listed before it. */
  build(core: Core, need: Need): S | Promise<S>;
  routes(service: S, core: Core, need: Need): Routes;
  directory?(service: S): Directory;
  /**
   * The logboek's sentence for each action it records (`core.audit`), in both languages: every action needs
   * one (tests/e2e/auditWalk.test.ts).
   */
  auditSentences?: AuditSentences;
  /** What `npm start` puts in an empty store (invented data only). */
  seed?(service: S, core: Core, need: Need): Promise<void>;
  privacy(service: S): PrivacyHooks;
  /** Its part of each person's digest (the agenda capability composes them, in list order). */
  digest?(service: S, need: Need): DigestSource;
  /** Lists of choices it offers others, by name (read through `core.contributions.choices` once all are built). */
  choices?(service: S): Record<string, () => Choice[]>;
  /** Things the secretariaat may put on the next BO agenda (the agenda capability lists them). */
  agendaCandidates?(service: S, need: Need): (actor: Member) => Promise<AgendaCandidate[]>;
  /** Its messages at the largest data its model allows, in the given language (for the worst-case test). */
  worstCases?(locale: Locale): WorstCase[];
  /** Background work (a timer), started once the bot listens and stopped before it closes. */
  jobs?(service: S, core: Core): BackgroundJob;
}

interface BackgroundJob {
  start(): void;
  /** Stops the timer and waits for a run under way. */
  stop(): Promise<void>;
}

export function defineCapability<S, N extends string>(capability: Capability<S, N>): Capability<S, N> {
  return capability;
}

/** The services of a list of capabilities, by capability name. */
export type ServicesOf<L extends readonly Capability<any, string>[]> = {
  [C in L[number] as C['name']]: C extends Capability<infer S, string> ? S : never;
};

export interface Built<S = unknown> {
  capability: Capability<S, string>;
  service: S;
  need: Need;
  routes: Routes;
  privacy: PrivacyHooks;
}

/** Builds each capability in list order; `need` hands over the services built so far. */
export async function buildCapabilities(list: readonly Capability<any, string>[], core: Core): Promise<Built[]> {
  const services = new Map<Capability<any, string>, unknown>();
  const need: Need = <T>(capability: Capability<T, string>): T => {
    if (!services.has(capability)) throw new Error(`Capability "${capability.name}" is needed before it is built: list it earlier`);
    return services.get(capability) as T;
  };
  const built: Built[] = [];
  for (const capability of list) {
    const service = await capability.build(core, need);
    services.set(capability, service);
    built.push({ capability, service, need, routes: capability.routes(service, core, need), privacy: capability.privacy(service) });
  }
  for (const b of built) {
    const name = b.capability.name;
    if (b.capability.digest) core.contributions.digest.push({ capability: name, source: b.capability.digest(b.service, need) });
    if (b.capability.agendaCandidates) core.contributions.agendaCandidates.push({ capability: name, list: b.capability.agendaCandidates(b.service, need) });
    Object.assign(core.contributions.choices, b.capability.choices?.(b.service));
  }
  return built;
}

/** The one directory (who is acting) among the built capabilities. */
export function directoryOf(built: Built[]): Directory {
  const providers = built.filter((b) => b.capability.directory);
  if (providers.length !== 1) throw new Error('Exactly one capability must say who is acting (a directory)');
  return providers[0]!.capability.directory!(providers[0]!.service);
}

/** Every table of the core and the capabilities, to create at start. */
export function tablesOf(list: readonly Capability<any, string>[], coreTables: readonly string[]): string[] {
  return [...new Set([...coreTables, ...list.flatMap((c) => c.tables)])];
}

/** The Teams command menu the capabilities declare, in manifest form (Dutch) with English localisation keys. */
export function manifestCommandLists(list: readonly Capability<any, string>[], coreCommands: readonly ManifestCommand[] = []) {
  const scopeSets = [['personal'], ['team', 'groupChat']] as const;
  const commands = [...coreCommands, ...list.flatMap((c) => c.manifestCommands ?? [])];
  const lists = scopeSets
    .map((scopes) => ({
      scopes: [...scopes] as string[],
      commands: commands.filter((cmd) => scopes.every((s) => cmd.scopes.includes(s))),
    }))
    .filter((l) => l.commands.length);
  const manifest = lists.map((l) => ({ scopes: l.scopes, commands: l.commands.map((c) => ({ title: c.title, description: c.description.nl })) }));
  const english: Record<string, string> = {};
  lists.forEach((l, i) =>
    l.commands.forEach((c, j) => {
      english[`bots[0].commandLists[${i}].commands[${j}].title`] = c.titleEn ?? c.title;
      english[`bots[0].commandLists[${i}].commands[${j}].description`] = c.description.en;
    }),
  );
  return { manifest, english };
}
