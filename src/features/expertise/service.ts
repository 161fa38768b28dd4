// Who knows what: members whose activity on dilemmas, or whose own words, match a question; and the dilemmas
// nearest to a new one. The rules live here (no Teams types): only what the asker may see counts, through
// the dilemmas' one rule `canSee`; withdrawn dilemmas never count; people who chose not to be found are not.
import { NotFound } from '../../errors';
import type { Member, PersonId } from '../../identity';
import { samePerson } from '../../identity';
import { decodeKey, personKey } from '../../storage/keys';
import { canSee, mayUseDilemmas, type Dilemma, type DilemmaService, type Responder, type Viewer } from '../dilemmas';
import { TopicIndex, type Terms } from './matching';
import {
  DEFAULT_PROFILE,
  MAX_PEOPLE,
  MAX_SIMILAR,
  profileInputSchema,
  type Profile,
  type Reasons,
  type SimilarDilemma,
  type Suggestion,
} from './model';
import { refuse } from './messages';
import type { ExpertiseStore } from './store';
import type { Concepts } from './text';

/** A dilemma at least this near (cosine, 0–1) is shown as similar before saving: measured on tests/data/similarity-eval.json. */
export const SIMILAR_THRESHOLD = 0.18;
/** A dilemma counts for a question when it is at least this near, and at least this part of the best one. */
const TOPIC_MIN = 0.05;
const TOPIC_RELATIVE = 0.3;
/** At most this many dilemmas feed one answer. */
const TOPIC_DOCS = 40;
/** Over this many dilemmas with responses to read again, one read of all responses is cheaper. */
const BULK_RESPONSES = 20;
/** At most this many of a person's own themes and words are named as the reason. */
const MAX_STATED = 6;
/** What each kind of activity is worth; several signals together add up. */
const SIGNAL = { responded: 1, talk: 0.5, logged: 0.8, recognised: 0.4, theme: 0.6, words: 0.9 } as const;

/** The members registry, as much of it as expertise needs. */
export interface Directory {
  /** The members behind these ids, in order (undefined: no longer a member). */
  findMany(people: readonly PersonId[]): Promise<Array<Member | undefined>>;
  organisationName(id: string): string;
}

interface Entry {
  dilemma: Dilemma;
  responders: Responder[];
  /** A response is numbered before it is stored: until all are read, the next refresh reads them again. */
  complete: boolean;
}

export interface Answer {
  /** What the question is about, as a concept of the housing list ('grondprijs'), when one was named. */
  topic: string;
  people: Suggestion[];
}

export class ExpertiseService {
  readonly index: TopicIndex;
  private readonly entries = new Map<string, Entry>();
  private readonly profiles = new Map<string, { person: PersonId; profile: Profile; terms: Array<{ phrase: string; terms: Terms }> }>();
  private refreshedAt = 0;
  private pending?: Promise<void>;
  private tail: Promise<void> = Promise.resolve();
  private loaded = false;

  constructor(
    private readonly store: ExpertiseStore,
    private readonly dilemmas: DilemmaService,
    private readonly directory: Directory,
    concepts: Concepts,
    /** How long answers may come from the index before it is brought up to date (0: before every answer). */
    private readonly refreshMs: number,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.index = new TopicIndex(concepts);
  }

  /** Brings the index up to date with the dilemmas this process holds: only changed dilemmas are read again. */
  refresh(): Promise<void> {
    // One at a time; a call while one runs gets the next one (which starts after it, so it sees every change
    // made before the call), shared with every other call made meanwhile.
    if (this.pending) return this.pending;
    const run = this.tail.then(() => {
      this.pending = undefined;
      return this.doRefresh();
    });
    this.pending = run;
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async doRefresh(): Promise<void> {
    const startedAt = Date.now();
    const all = await this.dilemmas.everyDilemma();
    const stale = (d: Dilemma) => {
      const known = this.entries.get(d.id);
      return !(known && known.dilemma === d && known.complete);
    };
    // A full load of the dilemmas' memory (every quarter hour, after a bulk write) makes every dilemma a new
    // object: then one read of all responses, not one read per dilemma (thousands, while turns wait).
    const bulk = !this.loaded || all.filter((d) => d.responseCount > 0 && stale(d)).length > BULK_RESPONSES;
    const byDilemma = new Map<string, Responder[]>();
    if (bulk) {
      for (const r of await this.dilemmas.responders()) {
        const list = byDilemma.get(r.dilemmaId) ?? [];
        list.push(r);
        byDilemma.set(r.dilemmaId, list);
      }
    }
    const seen = new Set<string>();
    for (const d of all) {
      seen.add(d.id);
      const known = this.entries.get(d.id);
      // A changed dilemma is a new object in the dilemmas' memory: the same object means nothing changed.
      if (!stale(d)) continue;
      // Responses change without the text changing (a new one, or an erased author): read them again.
      const responders = bulk ? (byDilemma.get(d.id) ?? []) : d.responseCount > 0 ? await this.dilemmas.responders(d.id) : [];
      if (!known || known.dilemma.title !== d.title || known.dilemma.description !== d.description || known.dilemma.theme !== d.theme) {
        this.index.put(d.id, { title: d.title, description: d.description, theme: d.theme });
      }
      this.entries.set(d.id, { dilemma: d, responders, complete: responders.length >= d.responseCount });
    }
    for (const id of [...this.entries.keys()]) {
      if (seen.has(id)) continue;
      this.entries.delete(id);
      this.index.remove(id);
    }
    if (!this.loaded) await this.reloadProfiles();
    // Term rarities move as dilemmas come and go: lengths are brought up to date here, not in a turn.
    this.index.measure();
    this.loaded = true;
    this.refreshedAt = startedAt;
  }

  /** Reads every profile again (other processes' changes); this process's own show at once. */
  async reloadProfiles(): Promise<void> {
    const all = await this.store.all();
    this.profiles.clear();
    for (const p of all) this.remember(p.person, p.profile);
  }

  private remember(person: PersonId, profile: Profile): void {
    const phrases = profile.words.split(/[,;\n]+/).map((w) => w.trim()).filter(Boolean);
    this.profiles.set(personKey(person.tenantId, person.aadObjectId), {
      person,
      profile,
      terms: phrases.map((phrase) => ({ phrase, terms: this.index.analyse({ title: phrase }) })),
    });
  }

  private async fresh(): Promise<void> {
    if (!this.loaded || this.refreshMs === 0 || Date.now() - this.refreshedAt >= this.refreshMs) await this.refresh();
  }

  /** Whether a dilemma may count for this viewer: the dilemmas' one rule, and never a withdrawn one. */
  private counts(viewer: Viewer, id: string): boolean {
    const e = this.entries.get(id);
    return Boolean(e && e.dilemma.status !== 'ingetrokken' && canSee(viewer, e.dilemma));
  }

  /** The dilemmas of others nearest to a new one that this person may see (at most three, each above the threshold). */
  async similar(viewer: Viewer, text: { title: string; description: string; theme: string }): Promise<SimilarDilemma[]> {
    if (!mayUseDilemmas(viewer.member)) throw refuse.denied('role');
    await this.fresh();
    // Others' dilemmas: one's own are known to oneself (and logging a second one on purpose is fine).
    const others = (id: string) => this.counts(viewer, id) && !samePerson(this.entries.get(id)!.dilemma.author, viewer.member);
    const hits = this.index.search(this.index.analyse(text), others, MAX_SIMILAR, SIMILAR_THRESHOLD);
    return hits.map((h) => {
      const d = this.entries.get(h.id)!.dilemma;
      return { id: d.id, title: d.title, theme: d.theme, score: h.score };
    });
  }

  /** Who knows about a topic the asker types ("wie weet grondprijs"). */
  async whoKnows(viewer: Viewer, topic: string): Promise<Answer> {
    if (!mayUseDilemmas(viewer.member)) throw refuse.denied('role');
    await this.fresh();
    const terms = this.index.analyse({ title: topic });
    return this.rank(viewer, terms, []);
  }

  /** Who knows about one dilemma: not its author, and only if the asker may see it. */
  async whoKnowsAbout(viewer: Viewer, id: string): Promise<Answer & { dilemma: Dilemma }> {
    if (!mayUseDilemmas(viewer.member)) throw refuse.denied('role');
    await this.fresh();
    const entry = this.entries.get(id);
    if (!entry || !this.counts(viewer, id)) throw new NotFound('No such dilemma');
    const terms = this.index.termsOf(id) ?? this.index.analyse(entry.dilemma);
    return { ...(await this.rank(viewer, terms, [entry.dilemma.author])), dilemma: entry.dilemma };
  }

  /** Who knows about a dilemma just saved (its author is left out). */
  async whoKnowsAboutNew(viewer: Viewer, dilemma: Dilemma): Promise<Answer> {
    await this.fresh();
    // Not the new dilemma itself: nobody responded to it yet, and as the nearest of all (itself) it would set
    // the bar for "near enough" so high that the dilemmas people did respond to fall below it.
    return this.rank(viewer, this.index.analyse(dilemma), [dilemma.author], dilemma.id);
  }

  private async rank(viewer: Viewer, terms: Terms, exclude: PersonId[], skip?: string): Promise<Answer> {
    const { concepts, themes } = TopicIndex.labels(terms);
    const hits = this.index.search(terms, (id) => id !== skip && this.counts(viewer, id), TOPIC_DOCS, TOPIC_MIN);
    const best = hits[0]?.score ?? 0;
    const people = new Map<string, { person: PersonId; score: number; reasons: Reasons }>();
    const credit = (person: PersonId, weight: number, kind: keyof Omit<Reasons, 'stated'>) => {
      if (!person.aadObjectId) return;
      const key = personKey(person.tenantId, person.aadObjectId);
      const p = people.get(key) ?? { person, score: 0, reasons: { responded: 0, talk: 0, logged: 0, recognised: 0, stated: [] } };
      p.score += weight;
      p.reasons[kind] += 1;
      people.set(key, p);
    };
    for (const hit of hits) {
      if (hit.score < best * TOPIC_RELATIVE) break;
      const { dilemma, responders } = this.entries.get(hit.id)!;
      const near = hit.score / best;
      credit(dilemma.author, SIGNAL.logged * near, 'logged');
      const responded = new Map<string, Responder & { talk: boolean }>();
      for (const r of responders) {
        const key = personKey(r.author.tenantId, r.author.aadObjectId);
        const had = responded.get(key);
        responded.set(key, { ...r, talk: Boolean(had?.talk || r.wantsToTalk) });
      }
      for (const r of responded.values()) {
        if (samePerson(r.author, dilemma.author)) continue;
        credit(r.author, SIGNAL.responded * near, 'responded');
        if (r.talk) credit(r.author, SIGNAL.talk * near, 'talk');
      }
      for (const key of dilemma.recognisedBy) {
        const person = this.personOfKey(key);
        if (person) credit(person, SIGNAL.recognised * near, 'recognised');
      }
    }
    // What people say themselves: their themes, and their own words when they added some.
    const themeSet = new Set(themes);
    for (const [key, p] of this.profiles) {
      if (!p.profile.findable) continue;
      const stated: string[] = [];
      let score = 0;
      for (const theme of p.profile.themes) {
        if (themeSet.has(theme)) {
          stated.push(`#${theme}`);
          score += SIGNAL.theme;
        }
      }
      for (const { phrase, terms: own } of p.terms) {
        let shared = 0;
        for (const term of own.keys()) if (terms.has(term) && !term.startsWith('#')) shared++;
        if (shared > 0) {
          stated.push(phrase);
          score += SIGNAL.words * Math.min(1, shared / Math.max(1, own.size - (own.size > 2 ? 1 : 0)));
        }
      }
      if (!score) continue;
      const entry = people.get(key) ?? { person: p.person, score: 0, reasons: { responded: 0, talk: 0, logged: 0, recognised: 0, stated: [] } };
      entry.score += score;
      entry.reasons.stated = stated.slice(0, MAX_STATED);
      people.set(key, entry);
    }
    const left = [viewer.member, ...exclude];
    const ranked = [...people.values()].filter((p) => !left.some((x) => samePerson(x, p.person))).sort((a, b) => b.score - a.score);
    const out: Suggestion[] = [];
    const candidates = ranked.filter((p) => this.profiles.get(personKey(p.person.tenantId, p.person.aadObjectId))?.profile.findable !== false);
    // Looked up a few at a time (the registry reads from its memory, or once for everyone).
    for (let from = 0; from < candidates.length && out.length < MAX_PEOPLE; from += MAX_PEOPLE + 3) {
      const batch = candidates.slice(from, from + MAX_PEOPLE + 3);
      const found = await this.directory.findMany(batch.map((p) => p.person));
      batch.forEach((p, i) => {
        const member = found[i];
        if (out.length >= MAX_PEOPLE || !member || !mayUseDilemmas(member)) return;
        out.push({
          tenantId: member.tenantId,
          aadObjectId: member.aadObjectId,
          name: member.name,
          organisation: this.directory.organisationName(member.organisationId),
          role: member.role,
          upn: this.profiles.get(personKey(member.tenantId, member.aadObjectId))?.profile.upn ?? '',
          score: p.score,
          reasons: p.reasons,
        });
      });
    }
    return { topic: concepts[0] ?? '', people: out };
  }

  /** The person behind a recognition key (tenant and object id, encoded as a key). */
  private personOfKey(key: string): PersonId | undefined {
    const [tenantId, aadObjectId] = decodeKey(key).split('|');
    return tenantId && aadObjectId ? { tenantId, aadObjectId } : undefined;
  }

  async profile(member: Member): Promise<Profile> {
    return (await this.store.get(member)) ?? { ...DEFAULT_PROFILE, updatedAt: '' };
  }

  /** Saves what a member says about themselves; `problem` when the input does not fit. */
  async saveProfile(member: Member, input: { themes: string[]; words: string; findable: boolean }): Promise<{ ok: true; profile: Profile } | { ok: false; problem: string }> {
    if (!mayUseDilemmas(member)) throw refuse.denied('role');
    const parsed = profileInputSchema.safeParse(input);
    if (!parsed.success) return { ok: false, problem: parsed.error.issues[0]?.message === 'wordsTooLong' ? 'wordsTooLong' : parsed.error.issues[0]?.message === 'tooManyThemes' ? 'tooManyThemes' : 'invalid' };
    const current = await this.profile(member);
    const profile: Profile = { ...current, ...parsed.data, updatedAt: this.now().toISOString() };
    await this.store.put(member, profile);
    this.remember(member, profile);
    return { ok: true, profile };
  }

  /** Whether this process knows the member's sign-in name already. */
  knowsUpn(member: PersonId): boolean {
    return Boolean(this.profiles.get(personKey(member.tenantId, member.aadObjectId))?.profile.upn);
  }

  /** Keeps the sign-in name Teams gives for a member (for the chat link); written only when it changed. */
  async learnUpn(member: Member, upn: string): Promise<void> {
    const clean = upn.trim().slice(0, 200);
    if (!clean || !clean.includes('@')) return;
    const known = this.profiles.get(personKey(member.tenantId, member.aadObjectId))?.profile;
    if (known?.upn === clean) return;
    const current = known ?? (await this.profile(member));
    if (current.upn === clean) return void this.remember(member, current);
    const profile = { ...current, upn: clean, updatedAt: current.updatedAt || this.now().toISOString() };
    await this.store.put(member, profile);
    this.remember(member, profile);
  }

  async personalData(person: PersonId): Promise<Record<string, unknown>> {
    const profile = await this.store.get(person);
    return profile ? { profile } : {};
  }

  async erase(person: PersonId): Promise<void> {
    await this.store.remove(person);
    const key = personKey(person.tenantId, person.aadObjectId);
    this.profiles.delete(key);
  }
}
