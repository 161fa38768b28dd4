// The plans capability: the region's housing plans, their status and history, regional progress toward the
// target, the imported plan list, edits by the secretariaat and the wethouder, followers and "Plan zoeken".
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { defineCapability, type Core, type Need } from '../../capability';
import { errorFields } from '../../log';
import { dilemmas } from '../dilemmas';
import { members } from '../members';
import { auditSentences, messages, refuse } from './messages';
import { planNotifier, planRoutes } from './routes';
import { planDigest } from './digest';
import { PlanService } from './service';
import { PLAN_TABLES, PlanStore } from './store';
import { planWorstCases } from './worstCases';

/** How long a plan id can be: what another capability that points to a plan must hold. */
export { PLAN_ID_MAX_LENGTH } from './model';

/** The invented plans `npm start` puts in an empty store; also the sample file for the import. */
export const SAMPLE_FILE = path.join(__dirname, 'sample-plans.csv');

export const plans = defineCapability({
  name: 'plans',
  tables: Object.values(PLAN_TABLES),
  messages,
  auditSentences,
  refusals: refuse,
  manifestCommands: [
    {
      title: 'plan',
      description: { nl: 'Zie hoe een plan ervoor staat. Typ plan en (een deel van) de naam.', en: 'See how a plan is doing. Type plan and (part of) its name.' },
      scopes: ['personal', 'team', 'groupChat'],
    },
    {
      title: 'plannen',
      titleEn: 'plans',
      description: { nl: 'Alle plannen van de regio of van één gemeente, met de totalen.', en: 'All plans of the region or of one municipality, with totals.' },
      scopes: ['personal', 'team', 'groupChat'],
    },
    {
      title: 'voortgang',
      titleEn: 'progress',
      description: { nl: 'Hoe ver is de regio met ongeveer 7.000 woningen en een derde sociale huur?', en: 'How far is the region with about 7,000 homes and one third social rent?' },
      scopes: ['personal', 'team', 'groupChat'],
    },
  ],
  async build(core: Core, need: Need) {
    const registry = need(members);
    const service: PlanService = new PlanService(
      new PlanStore(core.tables),
      () => registry.listOrganisations().filter((o) => o.kind === 'gemeente').map((o) => ({ id: o.id, name: o.name })),
      planNotifier(core.outbox, registry, () => service, core.log),
      core.config.plans,
      core.config.plans.refreshMs,
      undefined,
      core.audit,
    );
    await service.load();
    return service;
  },
  // The dilemma form offers the real plans.
  choices: (service) => ({ plans: () => service.choices() }),
  digest: (service, need) => planDigest(service, (id) => need(members).organisationName(id)),
  routes: (service, core, need) => planRoutes(service, need(members), need(dilemmas), core),
  worstCases: (locale) => planWorstCases(locale),
  async seed(service, core) {
    try {
      const report = await service.seed(await readFile(SAMPLE_FILE));
      if (report) core.log.info({ event: 'plans.seeded', created: report.status === 'done' ? report.created : 0 }, 'sample plans seeded');
    } catch (err) {
      core.log.warn({ event: 'plans.seedFailed', err: errorFields(err) }, 'could not seed the sample plans');
    }
  },
  privacy: (service) => ({
    export: (person) => service.personalData(person),
    erase: (person) => service.erase(person),
  }),
});

export type { PlanService } from './service';
