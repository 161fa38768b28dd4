// The agenda capability: BO meetings and their agenda, which the secretariaat prepares and fixes, and the
// digest every member gets: personal, on a schedule, through the outbox (once each, within Teams' limits).
import { defineCapability, type Core, type Need } from '../../capability';
import { cronTimes } from '../../time';
import { members } from '../members';
import { agendaDigest } from './contributions';
import { auditSentences, messages, refuse } from './messages';
import { agendaRoutes } from './routes';
import { AgendaService, DIGEST_JOB, DIGEST_SLOT } from './service';
import { AGENDA_TABLES, AgendaStore } from './store';
import { agendaWorstCases } from './worstCases';

export const agenda = defineCapability({
  name: 'agenda',
  tables: Object.values(AGENDA_TABLES),
  messages,
  auditSentences,
  refusals: refuse,
  manifestCommands: [
    {
      title: 'agenda',
      description: { nl: 'Zie de volgende BO-vergadering en de agenda.', en: 'See the next BO meeting and its agenda.' },
      scopes: ['personal', 'team', 'groupChat'],
    },
    {
      title: 'digest',
      description: {
        nl: 'Zie je digest nu. "digest uit" of "digest aan" zet hem uit of aan.',
        en: 'See your digest now. "digest uit" or "digest aan" turns it off or on.',
      },
      scopes: ['personal'],
    },
  ],
  worstCases: agendaWorstCases,
  build(core: Core, need: Need) {
    const service = new AgendaService(new AgendaStore(core.tables), {
      audit: core.audit,
      members: need(members),
      contributions: core.contributions,
      enqueueMany: (list) => core.outbox.enqueueMany(list, 32),
      digestHistory: (before, max) => core.scheduler.history(DIGEST_SLOT, before, max),
      fireDigest: (moment) => core.scheduler.fire({ slot: DIGEST_SLOT, job: DIGEST_JOB, next: async () => undefined }, moment),
      digestChannelId: core.config.digest.channelId,
      daysBeforeMeeting: core.config.digest.daysBeforeMeeting,
    });
    core.outbox.job(DIGEST_JOB, async (data) => {
      const count = await service.fanOut(String(data.slot));
      core.log.info({ event: 'digest.fannedOut', count }, 'digest queued for every recipient');
    });
    // Both schedules share one slot name: a weekly moment that is also "days before a meeting" runs once.
    const weekly = cronTimes(core.config.digest.schedule);
    core.scheduler.add({ slot: DIGEST_SLOT, job: DIGEST_JOB, next: async (after) => weekly(after) });
    core.scheduler.add({ slot: DIGEST_SLOT, job: DIGEST_JOB, next: (after) => service.beforeMeetingMoment(after) });
    return service;
  },
  routes: (service, core, need) => agendaRoutes(service, need(members), core),
  digest: (service) => agendaDigest(service),
  async seed(service, _core, need) {
    const [admin] = await need(members).secretariaat();
    if (admin) await service.seed(admin);
  },
  privacy: (service) => ({
    export: (person) => service.personalData(person),
    erase: (person) => service.erase(person),
  }),
});

export type { AgendaService } from './service';
export { meetingIdSchema, type BoMeeting } from './model';
