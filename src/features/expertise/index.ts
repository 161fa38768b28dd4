// The expertise capability: "wie weet wat" finds members who know about a topic or a dilemma, members say
// what they know ("mijn expertise"), and a new dilemma is first held against similar ones.
import { readFileSync } from 'node:fs';
import { defineCapability, type Core, type Need } from '../../capability';
import { submit } from '../../cards/adaptive';
import type { Locale } from '../../i18n';
import { errorFields } from '../../log';
import { dilemmas } from '../dilemmas';
import { members } from '../members';
import conceptFile from './concepts.json';
import { peopleCard, similarCard } from './cards';
import { messages, refuse, t } from './messages';
import { LIMITS, MAX_PEOPLE, MAX_SIMILAR, type Suggestion } from './model';
import { expertiseRoutes } from './routes';
import { ExpertiseService } from './service';
import { EXPERTISE_TABLES, ExpertiseStore } from './store';
import { conceptFileSchema, Concepts } from './text';

/** The kept concept list, and the secretariaat's own file when EXPERTISE_CONCEPTS_FILE names one. */
export function loadConcepts(extraFile: string): Concepts {
  const files = [conceptFileSchema.parse(conceptFile)];
  if (extraFile) files.push(conceptFileSchema.parse(JSON.parse(readFileSync(extraFile, 'utf8'))));
  return Concepts.of(...files);
}

export const expertise = defineCapability({
  name: 'expertise',
  tables: Object.values(EXPERTISE_TABLES),
  messages,
  refusals: refuse,
  // No entry in the Teams command menu: the personal list is full (Teams shows 10). The welcome card's
  // buttons and the dilemma detail card lead here instead.
  async build(core: Core, need: Need) {
    const dilemmaService = need(dilemmas);
    const registry = need(members);
    const service = new ExpertiseService(
      new ExpertiseStore(core.tables),
      dilemmaService,
      { findMany: (people) => registry.findMany(people), organisationName: (id) => registry.organisationName(id) },
      loadConcepts(core.config.expertise.conceptsFile),
      core.config.expertise.refreshMs,
    );
    dilemmaService.useExtensions({
      async beforeCreate(viewer, input, form, locale) {
        const similar = await service.similar(viewer, input);
        return similar.length ? similarCard(locale, { similar, form, recognised: [] }) : undefined;
      },
      async afterCreate(viewer, dilemma, locale) {
        try {
          const answer = await service.whoKnowsAboutNew(viewer, dilemma);
          return answer.people.length ? peopleCard(locale, { title: t(locale, 'who.titleNew'), ...answer }) : undefined;
        } catch (err) {
          // The dilemma is saved; suggesting people is a help, not a step that may fail the turn.
          core.log.warn({ event: 'expertise.afterSaveFailed', err: errorFields(err) }, 'no people suggested after save');
          return undefined;
        }
      },
      detailAction: (_viewer, dilemma, locale) => submit(t(locale, 'who.button'), { verb: 'expertiseWhoKnows', id: dilemma.id }),
    });
    await service.refresh();
    return service;
  },
  routes: (service, core, need) => expertiseRoutes(service, need(dilemmas), core),
  jobs: (service, core) => refreshJob(service, core.config.expertise.refreshMs),
  privacy: (service) => ({
    export: (person) => service.personalData(person),
    erase: (person) => service.erase(person),
  }),
  worstCases: (locale: Locale) => [
    { name: 'expertise.people (5 people, longest names and reasons)', build: () => peopleCard(locale, worstPeople(locale)) },
    { name: 'expertise.similar (3 dilemmas, longest titles, longest form values)', build: () => similarCard(locale, worstSimilar()) },
  ],
});

/**
 * Keeps the index fresh in the background (twice per EXPERTISE_REFRESH_MS, so a turn rarely waits for it),
 * and reads other processes' profile changes every PROFILE_RELOAD_MS.
 */
const PROFILE_RELOAD_MS = 10_000;
function refreshJob(service: ExpertiseService, refreshMs: number) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let profilesAt = Date.now();
  return {
    start() {
      timer = setInterval(() => {
        const profiles = Date.now() - profilesAt >= PROFILE_RELOAD_MS;
        if (profiles) profilesAt = Date.now();
        running ??= Promise.all([service.refresh(), profiles ? service.reloadProfiles() : undefined])
          .then(() => undefined, () => undefined)
          .finally(() => (running = undefined));
      }, refreshMs > 0 ? Math.max(100, refreshMs / 2) : 1000);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      await running;
    },
  };
}

function worstPeople(locale: Locale) {
  const long = (n: number, c = 'W') => c.repeat(n);
  const people: Suggestion[] = Array.from({ length: MAX_PEOPLE }, (_, i) => ({
    tenantId: `t${i}`,
    aadObjectId: `a${i}`,
    name: long(200, '*'),
    organisation: long(120, '_'),
    role: 'directeur-bestuurder',
    upn: `${long(180, 'u')}${i}@example.org`,
    score: 1,
    reasons: { responded: 999, talk: 999, logged: 999, recognised: 999, stated: ['#financiering', '#participatie', '#netcongestie', '#stikstof', '#woon-werkbalans', long(LIMITS.words, '[')] },
  }));
  return { title: t(locale, 'who.title', { topic: long(60) }), topic: 'betaalbare-koop', people };
}

function worstSimilar() {
  // A control character takes six characters in JSON (\u0001): the most a typed character can cost.
  const form = {
    submissionId: 'x'.repeat(64),
    title: '\u0001'.repeat(120),
    description: '\u0001'.repeat(4000),
    relatedPlan: '\u0001'.repeat(120),
    relatedPlanId: 'p'.repeat(80),
    theme: 'woon-werkbalans',
    municipalities: 'm'.repeat(500),
    visibility: 'confidential',
    wantsAgenda: 'false',
  };
  return {
    similar: Array.from({ length: MAX_SIMILAR }, (_, i) => ({ id: `D-2026-00000${i}`, title: '*'.repeat(120), theme: 'woon-werkbalans', score: 1 })),
    form,
    recognised: [],
  };
}
