// The dilemmas capability: members log the dilemmas they meet, find, recognise and respond to each
// other's, and the secretariaat brings them to the BO table.
import { defineCapability, type Core, type Need } from '../../capability';
import { errorFields } from '../../log';
import { members } from '../members';
import { dilemmaCandidates, dilemmaDigest } from './contributions';
import { auditSentences, messages, refuse } from './messages';
import { dilemmaNotifier, dilemmaRoutes } from './routes';
import { DilemmaService } from './service';
import { DILEMMA_TABLES, DilemmaStore } from './store';
import { dilemmaWorstCases } from './worstCases';

export const dilemmas = defineCapability({
  name: 'dilemmas',
  tables: Object.values(DILEMMA_TABLES),
  messages,
  auditSentences,
  refusals: refuse,
  manifestCommands: [
    {
      title: 'dilemma',
      description: {
        nl: 'Deel een dilemma dat je tegenkomt bij het bouwen van betaalbare woningen.',
        en: 'Share a dilemma you meet in building affordable homes.',
      },
      scopes: ['personal'],
    },
    {
      title: "dilemma's",
      titleEn: 'dilemmas',
      description: {
        nl: "Lees de nieuwste dilemma's. Je kunt kiezen op thema of gemeente.",
        en: 'Read the latest dilemmas. You can pick a theme or a municipality.',
      },
      scopes: ['personal'],
    },
    {
      title: "dilemma's",
      titleEn: 'dilemmas',
      description: {
        nl: "Lees de nieuwste dilemma's, als iedereen in dit gesprek BO-lid is.",
        en: 'Read the latest dilemmas, when everyone in this conversation is a BO member.',
      },
      scopes: ['team', 'groupChat'],
    },
  ],
  async build(core: Core, need: Need) {
    const registry = need(members);
    const service: DilemmaService = new DilemmaService(
      new DilemmaStore(core.tables, {
        refreshMs: core.config.dilemmas.refreshMs,
        onError: (err, again) =>
          again
            ? core.log.debug({ event: 'dilemmas.refreshStillFailing' }, 'dilemma lists still not refreshed')
            : core.log.warn({ event: 'dilemmas.refreshFailed', err: errorFields(err) }, 'dilemma lists not refreshed; trying again'),
        onRecovered: () => core.log.info({ event: 'dilemmas.refreshRecovered' }, 'dilemma lists refreshed again'),
      }),
      () => registry.listOrganisations().filter((o) => o.kind === 'gemeente').map((o) => o.id),
      dilemmaNotifier(core.outbox, registry, () => service, core.log),
      (author) => registry.resolve({ tenantId: author.tenantId, aadObjectId: author.aadObjectId, name: author.name }),
      undefined,
      core.audit,
      () => core.contributions.choices.plans?.(),
    );
    // Stores from before lists were kept in memory had index tables; nothing reads them any more.
    if ((await service.retireOldIndex()) > 0) core.log.info({ event: 'dilemmas.oldIndexDropped' }, 'old dilemma list index dropped');
    // Lists are ready before the first turn: every dilemma's list row is loaded once, here.
    await service.reader.poll();
    return service;
  },
  routes: (service, core, need) => dilemmaRoutes(service, need(members), core),
  worstCases: dilemmaWorstCases,
  digest: (service, need) => dilemmaDigest(service, need(members)),
  agendaCandidates: (service) => dilemmaCandidates(service),
  // Other processes' changes reach this process's lists every DILEMMA_REFRESH_MS.
  jobs: (service) => service.reader,
  privacy: (service) => ({
    export: (person) => service.personalData(person),
    erase: (person) => service.erase(person),
  }),
});

export type { DilemmaService, Responder, Viewer } from './service';
export { canSee, mayUseDilemmas } from './service';
export type { Dilemma } from './model';
export { LIMITS as DILEMMA_LIMITS, THEMES } from './model';
