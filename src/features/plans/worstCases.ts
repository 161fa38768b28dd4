// The plans' messages at the largest data the model allows (LIMITS): the worst-case test holds each to Teams'
// size and action limits. Invented data only.
import type { WorstCase } from '../../capability';
import type { Locale } from '../../i18n';
import { historyCard, importReportCard, planCard, planEditCard, planListCard, progressCard } from './cards';
import { LIMITS, REFERENCE, type HistoryEntry, type Plan } from './model';
import { STAGES, type ImportReport, type Tally } from './service';

const MUNICIPALITIES = ['blaricum', 'gooise-meren', 'hilversum', 'huizen', 'laren', 'wijdemeren'].map((id) => ({ id, name: `Gemeente ${'G'.repeat(110)}` }));
const AT = '2026-11-29T10:00:00.000Z';
// Characters that markdown escaping doubles, so the longest text is also the widest after escaping.
const long = (length: number) => '*_[Ŵ'.repeat(Math.ceil(length / 4)).slice(0, length);

function plan(i: number): Plan {
  return {
    id: `laren:${'p'.repeat(50)}-${i}`,
    name: long(LIMITS.name),
    municipality: 'laren',
    location: long(LIMITS.location),
    initiators: Array.from({ length: LIMITS.initiators }, () => long(LIMITS.initiator)),
    homes: { total: 99_999, socialRent: 33_333, midRent: 33_333, affordablePurchase: 33_333, other: 0 },
    phase: REFERENCE.phases[0]!.id,
    startConstruction: '2027-Q3',
    delivery: '2030-Q4',
    regional: { onList: true, discussedOn: '2026-03-12', advice: long(LIMITS.advice) },
    goals: Object.fromEntries(REFERENCE.goals.map((g) => [g.id, { rating: 'draagt bij', note: long(LIMITS.goalNote) }])),
    revision: 99,
    createdAt: AT,
    updatedAt: AT,
    updatedBy: { tenantId: 't', aadObjectId: 'a', name: long(200), via: 'kaart' },
  } as Plan;
}

function tally(): Tally {
  return { byStage: Object.fromEntries(STAGES.map((s) => [s, 9_999_999])) as Tally['byStage'], counted: 39_999_996, socialRent: 9_999_999, plans: 20_000 };
}

export function planWorstCases(locale: Locale): WorstCase[] {
  const view = { plan: plan(1), municipalityName: MUNICIPALITIES[4]!.name, affordablePurchaseLimit: 390_000 };
  const dilemmas = Array.from({ length: 200 }, (_, i) => ({ id: `D-2026-${String(i).padStart(3, '0')}`, title: long(120) }));
  const plans = Array.from({ length: LIMITS.rows }, (_, i) => plan(i));
  const history: HistoryEntry[] = Array.from({ length: 200 }, () => ({
    planId: plan(1).id,
    at: AT,
    by: { tenantId: 't', aadObjectId: 'a', name: long(200), via: 'kaart' },
    created: false,
    changes: [{ field: 'regional.advice', from: long(LIMITS.advice), to: long(LIMITS.advice) }],
  }));
  const unknownMunicipality = { key: 'plan.problem.unknownMunicipality' as const, vars: { value: long(300), choices: MUNICIPALITIES.map((m) => m.name).join(', ') } };
  const report: ImportReport = {
    status: 'done',
    created: LIMITS.rows,
    changed: LIMITS.rows,
    unchanged: LIMITS.rows,
    rejected: Array.from({ length: LIMITS.rows }, (_, i) => ({ number: i + 2, problems: [unknownMunicipality, unknownMunicipality, unknownMunicipality] })),
    unknownColumns: Array.from({ length: 500 }, () => long(1000)),
  };
  return [
    { name: 'plans.plan (longest fields, 200 dilemmas)', build: () => planCard(locale, { ...view, following: true, mayEdit: true, dilemmas }) },
    { name: 'plans.plan (message extension)', build: () => planCard(locale, { ...view, standalone: true }) },
    { name: 'plans.edit', build: () => planEditCard(locale, { plan: plan(1) }) },
    { name: 'plans.history (200 changes)', build: () => historyCard(locale, plan(1), history) },
    { name: 'plans.plannen (20,000 plans)', build: () => planListCard(locale, { plans, tally: tally(), municipalities: MUNICIPALITIES, municipality: MUNICIPALITIES[4]! }) },
    {
      name: 'plans.voortgang',
      build: () =>
        progressCard(locale, {
          settings: { targetHomes: 7_000, fromYear: 2022, toYear: 2030, socialRentShare: 1 / 3 },
          region: tally(),
          municipalities: MUNICIPALITIES.map((m) => ({ ...m, tally: tally() })),
        }),
    },
    { name: 'plans.importReport (20,000 rejected rows, 500 unknown columns)', build: () => importReportCard(locale, report) },
  ];
}
