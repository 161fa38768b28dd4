// Every card the dilemmas capability sends, built from the largest data its model allows: the longest
// fields, typed in the characters that grow most in a card (markdown signs, escaped), and the most rows.
import type { WorstCase } from '../../capability';
import type { Locale } from '../../i18n';
import type { Organisation } from '../members';
import {
  authorNoticeCard,
  dilemmaDetailCard,
  dilemmaFormCard,
  dilemmaGoneCard,
  dilemmaListCard,
  dilemmaResponsesCard,
  dilemmaSavedCard,
  type PlanChoice,
} from './cards';
import { LIMITS, PAGE_SIZE, THEMES, type Dilemma, type DilemmaResponse, type DilemmaSummary } from './model';
import { PLAN_FALLBACK } from './service';

/** A text of `length` characters that each become three in the card's JSON (an escaped markdown sign). */
const widest = (length: number) => '*'.repeat(length);
/** Names from Teams and the organisation list are bounded there (person 200, organisation 120 characters). */
const PERSON_NAME = 200;
const ORGANISATION_NAME = 120;
/** Responses on the worst-case dilemma: more than one page holds. */
const RESPONSES = 30;

const author = { tenantId: 't'.repeat(36), aadObjectId: 'a'.repeat(36), name: widest(PERSON_NAME), organisationId: 'o'.repeat(60) };
const municipalities: Organisation[] = Array.from({ length: 10 }, (_, i) => ({ id: `gemeente-${i}`, name: `Gemeente ${widest(ORGANISATION_NAME - 9)}`, kind: 'gemeente' }));
const plans: PlanChoice[] = Array.from({ length: PLAN_FALLBACK }, (_, i) => ({ id: `${'g'.repeat(60)}:${String(i).padStart(100, 'p')}`, name: `${widest(120)} (${'m'.repeat(60)})` }));
const organisationName = () => widest(ORGANISATION_NAME);
const at = new Date(Date.UTC(2026, 11, 31, 23, 59)).toISOString();

function dilemma(): Dilemma {
  return {
    id: 'D-2026-999999',
    title: widest(LIMITS.title),
    description: widest(LIMITS.description),
    theme: THEMES.reduce((a, b) => (b.nl.length > a.nl.length ? b : a)).id,
    municipalities: municipalities.map((m) => m.id),
    relatedPlan: widest(LIMITS.relatedPlan),
    relatedPlanId: plans[0]!.id,
    visibility: 'confidential',
    wantsAgenda: true,
    status: 'besproken',
    outcome: widest(LIMITS.outcome),
    author,
    recognisedBy: Array.from({ length: 60 }, (_, i) => `k${i}`),
    responseCount: RESPONSES,
    createdAt: at,
    updatedAt: at,
  };
}

// Built when asked, not at load: this module loads while the model may still be loading (plans' index
// imports dilemmas, and the dilemma model imports plans' index).
function responses(): DilemmaResponse[] {
  return Array.from({ length: RESPONSES }, () => ({
    dilemmaId: 'D-2026-999999',
    author,
    text: widest(LIMITS.response),
    wantsToTalk: true,
    createdAt: at,
  }));
}

function summary(): DilemmaSummary {
  const d = dilemma();
  return { ...d, recognisedCount: 999, responseCount: 999 };
}

export function dilemmaWorstCases(locale: Locale): WorstCase[] {
  const d = dilemma();
  const all = responses();
  const values = {
    title: d.title,
    description: d.description,
    theme: d.theme,
    municipalities: municipalities.map((m) => m.id).join(','),
    relatedPlan: d.relatedPlan,
    relatedPlanId: plans[0]!.id,
    visibility: 'confidential',
    wantsAgenda: 'true',
  };
  const problems = { title: 'truncated', description: 'truncated', relatedPlan: 'truncated', relatedPlanId: 'invalidChoice', municipalities: 'required', theme: 'unknownTheme' } as const;
  const detail = (who: 'author' | 'reader') =>
    dilemmaDetailCard(locale, {
      dilemma: d,
      responses: all,
      recognised: false,
      isAuthor: who === 'author',
      isSecretariaat: true,
      shared: false,
      organisationName,
      municipalities,
      notice: widest(300),
      draftResponse: widest(LIMITS.response),
      responseSubmissionId: 'x'.repeat(64),
      plans,
    });
  return [
    { name: 'dilemmas.form (edit, every field at its limit, every problem shown)', build: () => dilemmaFormCard(locale, { submissionId: 'x'.repeat(64), municipalities, values, problems, editId: d.id, plans }) },
    {
      name: `dilemmas.list (${PAGE_SIZE} rows, every filter set)`,
      build: () =>
        dilemmaListCard(locale, {
          dilemmas: Array.from({ length: PAGE_SIZE }, summary),
          next: 'c'.repeat(80),
          capped: true,
          continued: true,
          filter: { theme: d.theme, municipality: municipalities[0]!.id, status: 'besproken', plan: plans[0]!.id, words: widest(LIMITS.search) },
          organisationName,
          municipalities,
          plans,
        }),
    },
    { name: `dilemmas.detail for its author and the secretariaat (${RESPONSES} responses)`, build: () => detail('author') },
    { name: `dilemmas.detail, the answer to "Herkenbaar" and its refresh (${RESPONSES} responses)`, build: () => detail('reader') },
    { name: `dilemmas.responses ("Meer reacties", ${RESPONSES} responses)`, build: () => dilemmaResponsesCard(locale, { dilemma: d, responses: all, from: 1, organisationName }) },
    { name: 'dilemmas.saved', build: () => dilemmaSavedCard(locale, d, false, municipalities, plans) },
    { name: 'dilemmas.authorNotice (outcome)', build: () => authorNoticeCard(locale, d, 'outcome', new Date(at)) },
    { name: 'dilemmas.gone', build: () => dilemmaGoneCard(locale) },
  ];
}
