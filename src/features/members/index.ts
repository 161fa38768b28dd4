// The members capability: the registry of who may use BO Wonen, access requests, roles and `beheer`.
// It also tells the core who is acting on every turn (its directory).
import { defineCapability, type Core } from '../../capability';
import { accessRequestCard, accessRequestNoticeCard, adminCard, decidedCard } from './cards';
import { auditSentences, messages, refuse } from './messages';
import { organisationFileSchema, ROLES, type AccessRequest, type Member } from './model';
import organisationFile from './organisations.json';
import { memberDirectory, memberRoutes } from './routes';
import { MemberService } from './service';
import { MEMBER_TABLES, MemberStore } from './store';

export const members = defineCapability({
  name: 'members',
  tables: Object.values(MEMBER_TABLES),
  messages,
  auditSentences,
  refusals: refuse,
  manifestCommands: [],
  async build({ tables, config, audit }: Core) {
    const service = new MemberService(new MemberStore(tables), config.access.bootstrapAdmins, undefined, config.access.memberCacheMs, audit);
    await service.loadOrganisations(organisationFileSchema.parse(organisationFile).organisations);
    return service;
  },
  routes: (service, core) => memberRoutes(service, core),
  worstCases: (locale) => {
    // The largest the model allows: names of 200 characters (Teams' display name), organisation names of 120,
    // the region's 60 members with 30 open requests, and a search of 200 characters.
    const organisations = organisationFileSchema.parse(organisationFile).organisations.map((o) => ({ ...o, name: 'O'.repeat(120) }));
    const organisationName = () => 'O'.repeat(120);
    const at = '2026-11-29T10:00:00.000Z';
    const person = (i: number) => ({ tenantId: 'f'.repeat(36), aadObjectId: `${String(i).padStart(8, '0')}-${'e'.repeat(27)}` });
    const name = (i: number) => `${i} ${'Ŵ*_['.repeat(50)}`.slice(0, 200);
    const request = (i: number): AccessRequest => ({ ...person(i), name: name(i), organisationId: 'o'.repeat(60), role: 'directeur-bestuurder', status: 'pending', requestedAt: at });
    const member = (i: number): Member => ({ ...person(1000 + i), name: name(i), organisationId: 'o'.repeat(60), role: ROLES[i % ROLES.length]!, createdAt: at, updatedAt: at });
    const all = Array.from({ length: 60 }, (_, i) => member(i));
    const requests = Array.from({ length: 30 }, (_, i) => request(i));
    const search = 'z'.repeat(200);
    return [
      { name: 'members.beheer (60 members, 30 requests)', build: () => adminCard(locale, requests, all, organisationName, {}, { fromConfig: () => true }) },
      { name: 'members.beheer (search, middle page)', build: () => adminCard(locale, requests, all, organisationName, { search, offset: 20 }, { fromConfig: () => true }) },
      { name: 'members.accessForm', build: () => accessRequestCard(locale, organisations, { organisationId: 'o', role: 'wethouder', problems: { organisationId: 'missing', role: 'missing' } }) },
      { name: 'members.accessNotice', build: () => accessRequestNoticeCard(locale, request(1), organisationName) },
      { name: 'members.decided', build: () => decidedCard(locale, { ...request(1), status: 'approved' }) },
    ];
  },
  directory: (service) => memberDirectory(service),
  privacy: (service) => ({
    export: (person) => service.personalData(person),
    erase: (person) => service.erase(person),
  }),
});

export type { MemberService } from './service';
export type { Organisation } from './model';
