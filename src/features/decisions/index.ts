// The decisions capability: from the BO table to action. The secretariaat records decisions and agreements per
// agenda item after a meeting; owners see them under `acties`, hear of them, are reminded once before the due
// date, and the next BO agenda carries the actielijst. The besluitenlijst downloads as a Word document.
import { defineCapability, type Core, type DigestSection, type Need, type WorstCase } from '../../capability';
import { cronTimes } from '../../time';
import { agenda } from '../agenda';
import { dilemmas } from '../dilemmas';
import { members } from '../members';
import { clip, literal } from '../../cards/markdown';
import { formatDate, type Locale } from '../../i18n';
import { actiesCard, changeCard, noticeCard, recordCard } from './cards';
import { auditSentences, messages, refuse, t } from './messages';
import { LIMITS, type Decision } from './model';
import { decisionRoutes, registerNotices } from './routes';
import { DecisionService, REMINDER_JOB, REMINDER_SLOT } from './service';
import { DECISION_TABLES, DecisionStore } from './store';

export const decisions = defineCapability({
  name: 'decisions',
  tables: Object.values(DECISION_TABLES),
  messages,
  auditSentences,
  refusals: refuse,
  // No Teams command menu entry: the personal menu holds ten commands already; `acties` is a button on the welcome card.
  build(core: Core, need: Need) {
    const service: DecisionService = new DecisionService(new DecisionStore(core.tables), {
      agenda: need(agenda),
      members: need(members),
      dilemmas: need(dilemmas),
      audit: core.audit,
      enqueue: (list) => core.outbox.enqueueMany(list),
      reminderDays: core.config.decisions.reminderDays,
    });
    registerNotices(core.outbox, () => service);
    // Once a day (by default): reminders before due dates, and the actielijst on the next agenda. The scheduler
    // runs each moment once across instances; the outbox sends each reminder once, even if the job runs again.
    core.outbox.job(REMINDER_JOB, async () => {
      const due = await service.remindDue();
      const actielijst = await service.ensureActielijst();
      core.log.info({ event: 'decisions.followUp', due, actielijst }, 'agreements followed up');
    });
    const times = cronTimes(core.config.decisions.reminderSchedule);
    core.scheduler.add({ slot: REMINDER_SLOT, job: REMINDER_JOB, next: async (after) => times(after) });
    return service;
  },
  routes: (service, core) => decisionRoutes(service, core),
  digest: (service) => ({
    async sections(viewer): Promise<DigestSection[]> {
      // Agreements name people and organisations: never in a shared chat's copy.
      if (viewer.shared) return [];
      const open = await service.openFor(viewer.member);
      return [
        {
          title: t(viewer.locale, 'digest.agreements'),
          items: open.slice(0, 8).map((d) => ({
            text: t(viewer.locale, 'digest.agreementLine', { text: literal(clip(d.text, 120)), date: formatDate(new Date(`${d.dueDate}T12:00:00Z`), viewer.locale) }),
            action: { title: t(viewer.locale, 'digest.open'), data: { verb: 'command', command: 'acties' } },
          })),
        },
      ];
    },
  }),
  privacy: (service) => ({
    export: (person) => service.personalData(person),
    erase: (person) => service.erase(person),
  }),
  worstCases: (locale) => worstCases(locale),
});

export type { DecisionService } from './service';

/** The largest messages the model allows: most decisions, longest texts, every member and organisation as owner. */
function worstCases(locale: Locale): WorstCase[] {
  const long = (n: number) => 'W'.repeat(n);
  const startsAt = '2026-03-02T13:00:00.000Z';
  const items = Array.from({ length: 30 }, (_, i) => ({ id: `item${String(i).padStart(4, '0')}`, type: 'bespreking' as const, title: long(150), summary: long(1000), submittedBy: long(120), links: [] }));
  const meeting = { id: 'BO-2026-03-02', startsAt, place: long(200), status: 'vastgesteld' as const, items, addedAt: {}, createdAt: startsAt, updatedAt: startsAt };
  const decision = (i: number): Decision => ({
    id: `A-${String(i).padStart(10, '0')}`,
    meetingId: meeting.id,
    meetingAt: startsAt,
    itemId: items[i % items.length]!.id,
    itemTitle: long(150),
    kind: 'afspraak',
    text: long(LIMITS.text),
    ownerTenantId: '00000000-0000-4000-8000-000000000000',
    ownerAadObjectId: '00000000-0000-4000-8000-000000000001',
    ownerName: long(200),
    ownerOrganisationId: 'regio-gooi-en-vechtstreek',
    dueDate: '2026-01-01',
    status: 'open',
    doneAt: '',
    doneNote: long(LIMITS.note),
    dilemmaId: '',
    createdAt: startsAt,
    updatedAt: startsAt,
  });
  const all = Array.from({ length: LIMITS.perMeeting }, (_, i) => decision(i));
  // 60 members and 15 organisations, each with the longest name.
  const owners = Array.from({ length: 75 }, (_, i) => ({ title: long(200), value: `m:00000000-0000-4000-8000-${String(i).padStart(12, '0')}` }));
  const organisationName = () => long(60);
  const view = { today: '2026-06-01', organisationName, manage: true };
  return [
    { name: 'decisions.record (60 decisions, 30 items, 75 owners)', build: () => recordCard(locale, { meeting, decisions: all, owners, organisationName }) },
    {
      name: 'decisions.acties (secretariaat, 60 agreements)',
      build: () => actiesCard(locale, { ...view, title: long(50), empty: '', groups: [{ title: long(60), items: all }] }),
    },
    { name: 'decisions.change', build: () => changeCard(locale, all[0]!, owners, organisationName) },
    { name: 'decisions.notice', build: () => noticeCard(locale, all[0]!, 'made', organisationName) },
  ];
}
