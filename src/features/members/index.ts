// The members capability: the registry of who may use BO Wonen, access requests, roles and `beheer`.
// It also tells the core who is acting on every turn (its directory).
import { defineCapability, type Core } from '../../capability';
import { messages, refuse } from './messages';
import { organisationFileSchema } from './model';
import organisationFile from './organisations.json';
import { memberDirectory, memberRoutes } from './routes';
import { MemberService } from './service';
import { MEMBER_TABLES, MemberStore } from './store';

export const members = defineCapability({
  name: 'members',
  tables: Object.values(MEMBER_TABLES),
  messages,
  refusals: refuse,
  manifestCommands: [],
  async build({ tables, config, audit }: Core) {
    const service = new MemberService(new MemberStore(tables), config.access.bootstrapAdmins, undefined, config.access.memberCacheMs, audit);
    await service.loadOrganisations(organisationFileSchema.parse(organisationFile).organisations);
    return service;
  },
  routes: (service, core) => memberRoutes(service, core),
  directory: (service) => memberDirectory(service),
  privacy: (service) => ({
    export: (person) => service.personalData(person),
    erase: (person) => service.erase(person),
  }),
});

export type { MemberService } from './service';
