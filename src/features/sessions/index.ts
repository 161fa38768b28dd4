// The sessions capability: the learning track's meetings and theme sessions. Members sign up (or wait), add a
// session to their calendar and get a reminder; the secretariaat and the gespreksleider run the sessions.
import { defineCapability, type Core, type Need } from '../../capability';
import { errorFields } from '../../log';
import { members } from '../members';
import { auditSentences, messages, refuse } from './messages';
import { sessionLink, sessionMessenger, sessionRoutes } from './routes';
import { opbrengstCandidates, sessionDigest } from './digest';
import { seedDrafts } from './seed';
import { SessionService } from './service';
import { sessionWorstCases } from './worstCases';
import { SESSION_TABLES, SessionStore } from './store';

export const sessions = defineCapability({
  name: 'sessions',
  tables: Object.values(SESSION_TABLES),
  messages,
  auditSentences,
  refusals: refuse,
  manifestCommands: [
    {
      title: 'sessies',
      titleEn: 'sessions',
      description: {
        nl: 'Zie de komende sessies en meld je aan. Vol? Dan kom je op de wachtlijst.',
        en: 'See the coming sessions and sign up. Full? Then you go on the waiting list.',
      },
      scopes: ['personal', 'team', 'groupChat'],
    },
    {
      title: 'mijn sessies',
      titleEn: 'my sessions',
      description: {
        nl: 'Zie voor welke sessies je bent aangemeld en waar je op de wachtlijst staat.',
        en: 'See which sessions you signed up for and where you are on a waiting list.',
      },
      scopes: ['personal'],
    },
  ],
  worstCases: sessionWorstCases,
  async build(core: Core, need: Need) {
    const registry = need(members);
    const store = new SessionStore(core.tables);
    if ((await store.retireOldTables()) > 0) core.log.info({ event: 'sessions.oldTablesDropped' }, 'old session reminder claims dropped');
    const service: SessionService = new SessionService(
      store,
      sessionMessenger(core.outbox, () => service, (id) => sessionLink(core, 'ics', id), core.log),
      (person) => registry.resolve({ tenantId: person.tenantId, aadObjectId: person.aadObjectId, name: '' }),
      { reminderHours: core.config.sessions.reminderHours, audit: core.audit },
    );
    return service;
  },
  digest: (service) => sessionDigest(service),
  agendaCandidates: (service) => opbrengstCandidates(service),
  routes: (service, core, need) => sessionRoutes(service, need(members), core),
  async seed(service, _core, need) {
    if (!(await service.isEmpty())) return;
    const registry = need(members);
    const [secretary] = await registry.secretariaat();
    const leader = secretary ? (await registry.listMembers(secretary)).find((m) => m.role === 'gespreksleider') : undefined;
    await service.seedSessions(
      seedDrafts(new Date(), leader ? { tenantId: leader.tenantId, aadObjectId: leader.aadObjectId, name: leader.name } : null),
    );
  },
  jobs(service, core) {
    let timer: NodeJS.Timeout | undefined;
    let running: Promise<void> | undefined;
    const run = () => {
      if (running) return;
      running = service
        .sendDueReminders()
        .then((r) => {
          if (r.sent) core.log.info({ event: 'sessions.reminders', sent: r.sent }, 'reminders sent');
        })
        .catch((err: unknown) => core.log.error({ event: 'sessions.reminders.failed', err: errorFields(err) }, 'reminder run failed'))
        .finally(() => (running = undefined));
    };
    return {
      start() {
        timer = setInterval(run, core.config.sessions.jobIntervalMs);
        timer.unref();
      },
      async stop() {
        if (timer) clearInterval(timer);
        await running;
      },
    };
  },
  privacy: (service) => ({
    export: (person) => service.personalData(person),
    erase: (person) => service.erase(person),
  }),
});

export type { SessionService } from './service';
export { DEMO_THEME_SESSION_TITLE, demoThemeSessionStart } from './seed';
