// The dilemmas capability: members log the dilemmas they meet, find, recognise and respond to each
// other's, and the secretariaat brings them to the BO table.
import { defineCapability, type Core, type Need } from '../../capability';
import { members } from '../members';
import { messages, refuse } from './messages';
import { dilemmaNotifier, dilemmaRoutes } from './routes';
import { DilemmaService } from './service';
import { DILEMMA_TABLES, DilemmaStore } from './store';

export const dilemmas = defineCapability({
  name: 'dilemmas',
  tables: Object.values(DILEMMA_TABLES),
  messages,
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
      description: {
        nl: "Lees de nieuwste dilemma's. Je kunt kiezen op thema of gemeente.",
        en: 'Read the latest dilemmas. You can pick a theme or a municipality.',
      },
      scopes: ['personal'],
    },
    {
      title: "dilemma's",
      description: {
        nl: "Lees de nieuwste dilemma's die iedereen hier mag zien.",
        en: 'Read the latest dilemmas that everyone here may see.',
      },
      scopes: ['team', 'groupChat'],
    },
  ],
  build(core: Core, need: Need) {
    const registry = need(members);
    const service: DilemmaService = new DilemmaService(
      new DilemmaStore(core.tables),
      () => registry.listOrganisations().filter((o) => o.kind === 'gemeente').map((o) => o.id),
      dilemmaNotifier(core.outbox, registry, () => service, core.log),
      (author) => registry.resolve({ tenantId: author.tenantId, aadObjectId: author.aadObjectId, name: author.name }),
    );
    return service;
  },
  routes: (service, core, need) => dilemmaRoutes(service, need(members), core),
  privacy: (service) => ({
    export: (person) => service.personalData(person),
    erase: (person) => service.erase(person),
  }),
});

export type { DilemmaService } from './service';
