// Plan cards: one plan, a choice, a list, the regional progress (bars from columns, and a Teams chart with the
// bars as its fallback), the edit card, the import report, the history and the follower's notice. Pure functions.
import { clip, literal } from '../../cards/markdown';
import { quotable } from '../../text';
import { formatDate, formatNumber, formatter, type Locale } from '../../i18n';
import {
  actionSet,
  card,
  choiceSet,
  fieldError,
  heading,
  rowName, submit,
  subheading,
  textBlock,
  type AdaptiveCard,
  type CardElement,
} from '../../cards/adaptive';
import { shortName, type Municipality, type Problem } from './fields';
import { t, type PlanMessageKey } from './messages';
import { phaseOf, certaintyOf, REFERENCE, type Changer, type EditField, type FieldChange, type HistoryEntry, type Plan } from './model';
import { STAGES, type ImportReport, type ProgressFigures, type Stage, type Tally } from './service';

const LIST_SIZE = 15;
/** The import report shows this many rejected rows (the first ones: fix those and send the file again). */
const REPORT_ROWS = 10;
/** Unknown columns named on the report, each cut to COLUMN_NAME_SHOWN characters. */
const REPORT_COLUMNS = 10;
const COLUMN_NAME_SHOWN = 40;
/** One rejected row's reasons name the cells they found; a cell may be long. */
const REASON_SHOWN = 300;

const n = (value: number, locale: Locale) => formatNumber(value, locale);
const percent = (fraction: number, locale: Locale) =>
  formatter(`percent|${locale}`, () => new Intl.NumberFormat(locale === 'en' ? 'en-GB' : 'nl-NL', { style: 'percent', maximumFractionDigits: 0 })).format(fraction);
const euro = (value: number, locale: Locale) =>
  formatter(`euro|${locale}`, () => new Intl.NumberFormat(locale === 'en' ? 'en-GB' : 'nl-NL', { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 })).format(
    value,
  );

export function problemText(locale: Locale, problem: Problem): string {
  return t(locale, problem.key, problem.vars ?? {});
}

export function phaseLabel(locale: Locale, id: string): string {
  return phaseOf(id)?.[locale] ?? id;
}

function quarterLabel(locale: Locale, quarter: string): string {
  const m = /^(\d{4})-Q([1-4])$/.exec(quarter);
  return m ? t(locale, 'plan.quarter', { year: m[1]!, quarter: m[2]! }) : t(locale, 'plan.notKnown');
}

function changerLabel(locale: Locale, by: Changer): string {
  if (!by.name) return t(locale, by.via === 'kaart' ? 'plan.changer.former' : 'plan.changer.import');
  return by.via === 'kaart' ? by.name : t(locale, 'plan.changer.importBy', { name: by.name });
}

function fieldLabel(locale: Locale, field: string): string {
  const goal = /^goals\.([^.]+)\.(rating|note)$/.exec(field);
  if (goal) {
    const name = REFERENCE.goals.find((g) => g.id === goal[1])?.[locale] ?? goal[1]!;
    return t(locale, goal[2] === 'rating' ? 'plan.field.goalRating' : 'plan.field.goalNote', { goal: name });
  }
  return t(locale, `plan.field.${field}` as PlanMessageKey);
}

function valueLabel(locale: Locale, field: string, value: string): string {
  if (!value) return t(locale, 'plan.empty');
  if (field === 'phase') return phaseLabel(locale, value);
  if (field === 'startConstruction' || field === 'delivery') return quarterLabel(locale, value);
  if (field.endsWith('.rating')) return REFERENCE.ratings.find((r) => r.id === value)?.[locale] ?? value;
  if (field.startsWith('homes.') && /^\d+$/.test(value)) return n(Number(value), locale);
  return value.length > 80 ? `${value.slice(0, 80)}…` : value;
}

function changeLines(locale: Locale, changes: FieldChange[]): string {
  return changes
    .map((c) => `- ${t(locale, 'plan.history.change', { field: fieldLabel(locale, c.field), from: valueLabel(locale, c.field, c.from), to: valueLabel(locale, c.field, c.to) })}`)
    .join('\n');
}

// ---- Bars: columns with a width by weight and a coloured background (renders everywhere, also the Playground). ----

/**
 * One colour per stage, the same in every bar, legend and chart of every card: the container style of the bars
 * and the legend's swatch, and the matching colour of Teams' chart. Colour only helps: every card also writes
 * each stage's number beside its name.
 */
const STAGE_COLOURS: Record<Stage | 'toGo', { style: string; chart: string }> = {
  delivered: { style: 'good', chart: 'good' },
  construction: { style: 'accent', chart: 'categoricalBlue' },
  hard: { style: 'warning', chart: 'warning' },
  soft: { style: 'attention', chart: 'attention' },
  toGo: { style: 'emphasis', chart: 'neutral' },
};

/** The kinds of homes in one plan's bar, each with its own colour. */
const KIND_STYLE = { socialRent: 'good', midRent: 'accent', affordablePurchase: 'warning', other: 'emphasis' } as const;

interface BarPart {
  value: number;
  style: string;
  label: string;
}

/** A horizontal bar of coloured parts, each as wide as its share. Parts of 0 are left out. */
function bar(parts: BarPart[], height = '18px'): CardElement {
  const shown = parts.filter((p) => p.value > 0);
  if (!shown.length) shown.push({ value: 1, style: 'emphasis', label: '' });
  return {
    type: 'ColumnSet',
    spacing: 'Small',
    columns: shown.map((p, i) => ({
      type: 'Column',
      width: Math.max(1, Math.round(p.value)),
      style: p.style,
      minHeight: height,
      spacing: i === 0 ? 'Default' : 'None',
      items: [{ type: 'TextBlock', text: ' ', size: 'Small' }],
    })),
  };
}

const swatch = (style: string): CardElement => ({
  type: 'Column',
  width: '12px',
  style,
  minHeight: '12px',
  verticalContentAlignment: 'Center',
  items: [{ type: 'TextBlock', text: ' ', size: 'Small' }],
});

/**
 * The key to a bar, one line per part, so no part hides behind a chart's "+3 items": its colour, its name and,
 * when `withNumbers`, its number written out ("Opgeleverd: 6.000").
 */
function legend(locale: Locale, parts: BarPart[], withNumbers = true): CardElement {
  return {
    type: 'Container',
    spacing: 'Small',
    items: parts.map((part) => ({
      type: 'ColumnSet',
      spacing: 'None',
      columns: [
        swatch(part.style),
        {
          type: 'Column',
          width: 'stretch',
          items: [textBlock(withNumbers ? t(locale, 'plan.legend.line', { label: part.label, value: n(part.value, locale) }) : part.label, { size: 'Small', spacing: 'None' })],
        },
      ],
    })),
  };
}

function stageParts(locale: Locale, tally: Tally): BarPart[] {
  return STAGES.map((stage) => ({ value: tally.byStage[stage], style: STAGE_COLOURS[stage].style, label: t(locale, `plan.progress.stage.${stage}` as PlanMessageKey) }));
}

/** "Opgeleverd 64 · In aanbouw 288 · …": a municipality's bar in words, readable without colour. */
function stageLine(locale: Locale, tally: Tally): string {
  return STAGES.map((stage) => `${t(locale, `plan.progress.stage.${stage}` as PlanMessageKey)} ${n(tally.byStage[stage], locale)}`).join(' · ');
}

// ---- One plan. ----

interface PlanView {
  plan: Plan;
  municipalityName: string;
  affordablePurchaseLimit: number;
  following?: boolean;
  mayEdit?: boolean;
  /** Dilemmas about it that the viewer may see. */
  dilemmas?: Array<{ id: string; title: string }>;
  /** For a card inserted into any chat (message extension): no buttons that need the bot there. */
  standalone?: boolean;
  notice?: string;
}

export function planCard(locale: Locale, view: PlanView): AdaptiveCard {
  const { plan } = view;
  const certainty = certaintyOf(plan.phase);
  const h = plan.homes;
  const body: CardElement[] = [];
  if (view.notice) body.push(textBlock(view.notice, { weight: 'Bolder' }));
  body.push(
    heading(literal(plan.name)),
    textBlock(plan.location ? t(locale, 'plan.meta', { municipality: literal(view.municipalityName), location: literal(plan.location) }) : literal(view.municipalityName), {
      isSubtle: true,
      spacing: 'None',
    }),
    {
      type: 'FactSet',
      facts: [
        {
          title: t(locale, 'plan.fact.phase'),
          value: `${phaseLabel(locale, plan.phase)}${certainty ? ` (${t(locale, `plan.certainty.${certainty}`)})` : ''}`,
        },
        { title: t(locale, 'plan.fact.total'), value: n(h.total, locale) },
        { title: t(locale, 'plan.fact.socialRent'), value: n(h.socialRent, locale) },
        { title: t(locale, 'plan.fact.midRent'), value: n(h.midRent, locale) },
        { title: t(locale, 'plan.fact.affordablePurchase', { limit: euro(view.affordablePurchaseLimit, locale) }), value: n(h.affordablePurchase, locale) },
        { title: t(locale, 'plan.fact.other'), value: n(h.other, locale) },
        { title: t(locale, 'plan.fact.start'), value: quarterLabel(locale, plan.startConstruction) },
        { title: t(locale, 'plan.fact.delivery'), value: quarterLabel(locale, plan.delivery) },
        ...(plan.initiators.length ? [{ title: t(locale, 'plan.fact.initiators'), value: literal(plan.initiators.join(', ')) }] : []),
      ],
    },
    ...(() => {
      const kinds: BarPart[] = [
        { value: h.socialRent, style: KIND_STYLE.socialRent, label: t(locale, 'plan.fact.socialRent') },
        { value: h.midRent, style: KIND_STYLE.midRent, label: t(locale, 'plan.fact.midRent') },
        { value: h.affordablePurchase, style: KIND_STYLE.affordablePurchase, label: t(locale, 'plan.field.homes.affordablePurchase') },
        { value: h.other, style: KIND_STYLE.other, label: t(locale, 'plan.fact.other') },
      ];
      // The numbers are in the facts above; the key only says which colour is which kind.
      const shown = kinds.filter((k) => k.value > 0);
      return shown.length ? [bar(kinds), legend(locale, shown, false)] : [];
    })(),
    subheading(t(locale, 'plan.regional.title')),
    textBlock(
      [
        t(locale, plan.regional.onList ? 'plan.regional.onList' : 'plan.regional.notOnList'),
        plan.regional.discussedOn
          ? t(locale, 'plan.regional.discussed', { date: formatDate(new Date(`${plan.regional.discussedOn}T12:00:00Z`), locale) })
          : t(locale, 'plan.regional.notYet'),
        ...(plan.regional.advice ? [t(locale, 'plan.regional.advice', { advice: literal(plan.regional.advice) })] : []),
      ].join(' '),
    ),
    subheading(t(locale, 'plan.goals.title')),
    {
      type: 'FactSet',
      facts: REFERENCE.goals.map((goal) => {
        const g = plan.goals[goal.id];
        const rating = REFERENCE.ratings.find((r) => r.id === g?.rating)?.[locale] ?? t(locale, 'plan.goal.unrated');
        return { title: goal[locale], value: g?.note ? `${rating}: ${literal(g.note)}` : rating };
      }),
    },
  );
  if (view.dilemmas?.length) {
    body.push(subheading(t(locale, 'plan.dilemmas.title')));
    for (const d of view.dilemmas.slice(0, 5)) {
      body.push(
        view.standalone
          ? textBlock(`${d.id} · ${literal(d.title)}`)
          : textBlock(`${d.id} · ${literal(d.title)}`, { color: 'Accent' }),
      );
    }
  }
  body.push(
    textBlock(t(locale, 'plan.lastChange', { date: formatDate(new Date(plan.updatedAt), locale), who: changerLabel(locale, plan.updatedBy) }), {
      isSubtle: true,
      size: 'Small',
      spacing: 'Medium',
    }),
  );
  if (view.standalone) return card(body);
  const actions: CardElement[] = [
    submit(t(locale, view.following ? 'plan.unfollow' : 'plan.follow'), { verb: 'planFollow', id: plan.id, follow: !view.following }),
    submit(t(locale, 'plan.historyButton'), { verb: 'planHistory', id: plan.id }),
    ...(view.mayEdit ? [submit(t(locale, 'plan.editButton'), { verb: 'planEdit', id: plan.id })] : []),
  ];
  if (view.dilemmas?.length) {
    body.push(actionSet(view.dilemmas.slice(0, 5).map((d) => submit(d.id, { verb: 'dilemmaOpen', id: d.id }))));
  }
  return card(body, actions);
}

function planRow(locale: Locale, plan: Plan, municipalityName: string): CardElement {
  return {
    type: 'ColumnSet',
    spacing: 'Small',
    selectAction: submit(t(locale, 'plan.open'), { verb: 'planOpen', id: plan.id }, rowName(t(locale, 'plan.open'), plan.name)),
    columns: [
      {
        type: 'Column',
        width: 'stretch',
        items: [
          textBlock(`**${literal(plan.name)}**`, { color: 'Accent' }),
          textBlock(`${municipalityName} · ${phaseLabel(locale, plan.phase)}`, { isSubtle: true, size: 'Small', spacing: 'None' }),
        ],
      },
      { type: 'Column', width: 'auto', verticalContentAlignment: 'Center', items: [textBlock(t(locale, 'plan.list.homes', { homes: n(plan.homes.total, locale) }))] },
    ],
  };
}

/**
 * One result of "Plan zoeken": small, so Teams' 25 results fit in one answer; choosing it fetches the whole
 * plan card (selectItem). No buttons: it may be inserted where the bot is not.
 */
export function planResultCard(locale: Locale, plan: Plan, municipalityName: string): AdaptiveCard {
  return card([
    textBlock(`**${literal(plan.name)}**`),
    textBlock(`${literal(municipalityName)} · ${phaseLabel(locale, plan.phase)} · ${t(locale, 'plan.list.homes', { homes: n(plan.homes.total, locale) })}`, {
      isSubtle: true,
      spacing: 'None',
    }),
  ]);
}

/** Several plans match, or none: a short choice. */
export function planChoiceCard(locale: Locale, query: string, plans: Plan[], kind: 'several' | 'none', nameOf: (id: string) => string): AdaptiveCard {
  const shown = query.length > 60 ? `${query.slice(0, 60)}…` : query;
  const body: CardElement[] = [textBlock(t(locale, kind === 'several' ? 'plan.several' : 'plan.none', { query: literal(quotable(shown)) }), { weight: kind === 'several' ? 'Bolder' : 'Default' })];
  if (kind === 'none') body.push(textBlock(t(locale, plans.length ? 'plan.closest' : 'plan.noneAtAll')));
  for (const p of plans) body.push(planRow(locale, p, nameOf(p.municipality)));
  return card(body, plans.length ? [] : [submit(t(locale, 'menu.plans'), { verb: 'command', command: 'plannen' })]);
}

interface PlanListView {
  plans: Plan[];
  tally: Tally;
  municipality?: Municipality;
  municipalities: Municipality[];
  notice?: string;
}

export function planListCard(locale: Locale, view: PlanListView): AdaptiveCard {
  const body: CardElement[] = [];
  if (view.notice) body.push(textBlock(view.notice, { color: 'Attention' }));
  body.push(
    heading(view.municipality ? t(locale, 'plan.list.municipality', { municipality: shortName(view.municipality.name) }) : t(locale, 'plan.list.region')),
  );
  if (!view.plans.length) body.push(textBlock(t(locale, 'plan.list.empty')));
  else {
    const homes = view.plans.reduce((s, p) => s + p.homes.total, 0);
    const social = view.plans.reduce((s, p) => s + p.homes.socialRent, 0);
    body.push(textBlock(t(locale, 'plan.list.totals', { plans: n(view.plans.length, locale), homes: n(homes, locale), social: n(social, locale) })));
    const parts = stageParts(locale, view.tally);
    body.push(bar(parts), legend(locale, parts));
    const nameOf = (id: string) => shortName(view.municipalities.find((m) => m.id === id)?.name ?? id);
    for (const plan of view.plans.slice(0, LIST_SIZE)) body.push(planRow(locale, plan, nameOf(plan.municipality)));
    if (view.plans.length > LIST_SIZE) body.push(textBlock(t(locale, 'plan.list.more', { count: n(view.plans.length - LIST_SIZE, locale) }), { isSubtle: true }));
  }
  body.push(
    choiceSet(
      'municipality',
      t(locale, 'plan.list.choose'),
      [{ title: t(locale, 'plan.list.all'), value: 'regio' }, ...view.municipalities.map((m) => ({ title: shortName(m.name), value: m.id }))],
      { value: view.municipality?.id ?? 'regio' },
    ),
  );
  return card(body, [
    submit(t(locale, 'menu.plans'), { verb: 'planList' }),
    submit(t(locale, 'menu.progress'), { verb: 'command', command: 'voortgang' }),
  ]);
}

// ---- Progress. ----

export function progressCard(locale: Locale, figures: ProgressFigures): AdaptiveCard {
  const { settings, region } = figures;
  const toGo = Math.max(0, settings.targetHomes - region.counted);
  const parts = [...stageParts(locale, region), { value: toGo, style: STAGE_COLOURS.toGo.style, label: t(locale, 'plan.progress.toGo') }];
  const chartColour = [...STAGES.map((stage) => STAGE_COLOURS[stage].chart), STAGE_COLOURS.toGo.chart];
  // Teams draws a real chart; a client that does not know charts (the Playground, older Teams) shows the bar.
  // Teams' chart shows only a few legend items ("+3 items"), so the card's own legend below names every part.
  const chart: CardElement = {
    type: 'Chart.Donut',
    title: t(locale, 'plan.progress.chartTitle'),
    data: parts.map((p, i) => ({ legend: p.label, value: p.value, color: chartColour[i] })).filter((p) => p.value > 0),
    fallback: bar(parts, '28px'),
  };
  const socialShare = region.counted ? region.socialRent / region.counted : 0;
  const top = Math.max(1, ...figures.municipalities.map((m) => m.tally.counted));
  const body: CardElement[] = [
    heading(t(locale, 'plan.progress.title', { from: settings.fromYear, to: settings.toYear })),
    textBlock(
      t(locale, 'plan.progress.headline', {
        counted: n(region.counted, locale),
        target: n(settings.targetHomes, locale),
        percent: percent(region.counted / settings.targetHomes, locale),
      }),
      { weight: 'Bolder', size: 'Medium' },
    ),
    chart,
    legend(locale, parts),
    subheading(t(locale, 'plan.progress.socialTitle')),
    textBlock(
      t(locale, 'plan.progress.social', {
        social: n(region.socialRent, locale),
        share: percent(socialShare, locale),
        target: percent(settings.socialRentShare, locale),
      }),
    ),
    bar([
      { value: Math.round(socialShare * 1000), style: KIND_STYLE.socialRent, label: t(locale, 'plan.fact.socialRent') },
      { value: Math.round((1 - socialShare) * 1000), style: KIND_STYLE.other, label: t(locale, 'plan.fact.other') },
    ]),
    // The goal's mark under the bar: an empty column as wide as the goal, then the mark.
    {
      type: 'ColumnSet',
      spacing: 'None',
      columns: [
        { type: 'Column', width: Math.max(1, Math.round(settings.socialRentShare * 1000)), items: [textBlock(' ', { size: 'Small' })] },
        {
          type: 'Column',
          width: Math.max(1, Math.round((1 - settings.socialRentShare) * 1000)),
          items: [textBlock(`▲ ${percent(settings.socialRentShare, locale)}`, { size: 'Small', isSubtle: true, spacing: 'None' })],
        },
      ],
    },
    subheading(t(locale, 'plan.progress.perMunicipality')),
    // One key for all municipality bars: the colours are the stages above.
    legend(locale, stageParts(locale, region), false),
  ];
  for (const m of figures.municipalities) {
    const rest = top - m.tally.counted;
    body.push(
      {
        type: 'ColumnSet',
        spacing: 'Medium',
        columns: [
          { type: 'Column', width: 'stretch', items: [textBlock(`**${m.name}**`)] },
          {
            type: 'Column',
            width: 'auto',
            items: [textBlock(t(locale, 'plan.progress.municipalityLine', { counted: n(m.tally.counted, locale), social: n(m.tally.socialRent, locale) }), { size: 'Small' })],
          },
        ],
      },
      bar([...stageParts(locale, m.tally), { value: rest, style: 'default', label: '' }], '12px'),
      textBlock(stageLine(locale, m.tally), { size: 'Small', isSubtle: true, spacing: 'None' }),
    );
  }
  body.push(textBlock(t(locale, 'plan.progress.note', { from: settings.fromYear, to: settings.toYear }), { isSubtle: true, size: 'Small', spacing: 'Medium' }));
  return card(body, [submit(t(locale, 'menu.plans'), { verb: 'command', command: 'plannen' })]);
}

// ---- Editing. ----

interface EditView {
  plan: Plan;
  /** What the form shows (as typed, when it comes back with problems); the plan's values otherwise. */
  values?: Partial<Record<EditField, string>>;
  problems?: Partial<Record<EditField, Problem>>;
  notice?: string;
}

export function planEditCard(locale: Locale, view: EditView): AdaptiveCard {
  const { plan } = view;
  const v: Record<EditField, string> = {
    phase: plan.phase,
    total: String(plan.homes.total),
    socialRent: String(plan.homes.socialRent),
    midRent: String(plan.homes.midRent),
    affordablePurchase: String(plan.homes.affordablePurchase),
    other: '',
    startConstruction: plan.startConstruction,
    delivery: plan.delivery,
    ...view.values,
  };
  const problem = (field: EditField): CardElement[] => {
    const p = view.problems?.[field];
    return p ? [fieldError(problemText(locale, p), field)] : [];
  };
  const count = (field: EditField, label: string): CardElement[] => [
    { type: 'Input.Text', id: field, label, value: v[field], maxLength: 10, style: 'text' },
    ...problem(field),
  ];
  const body: CardElement[] = [heading(t(locale, 'plan.edit.title', { name: literal(plan.name) }))];
  if (view.notice) body.push(textBlock(view.notice, { weight: 'Bolder', color: 'Attention' }));
  else body.push(textBlock(t(locale, 'plan.edit.intro')));
  if (view.problems && Object.keys(view.problems).length) body.push(textBlock(t(locale, 'plan.edit.problems'), { color: 'Attention', weight: 'Bolder' }));
  body.push(
    choiceSet('phase', t(locale, 'plan.fact.phase'), REFERENCE.phases.map((p) => ({ title: p[locale], value: p.id })), { value: v.phase, isRequired: true, errorMessage: t(locale, 'plan.edit.choosePhase') }),
    ...problem('phase'),
    ...count('total', t(locale, 'plan.fact.total')),
    ...count('socialRent', t(locale, 'plan.fact.socialRent')),
    ...count('midRent', t(locale, 'plan.fact.midRent')),
    ...count('affordablePurchase', t(locale, 'plan.field.homes.affordablePurchase')),
    ...count('other', t(locale, 'plan.edit.otherHint')),
    { type: 'Input.Text', id: 'startConstruction', label: t(locale, 'plan.fact.start'), placeholder: t(locale, 'plan.edit.quarterHint'), value: v.startConstruction, maxLength: 10 },
    ...problem('startConstruction'),
    { type: 'Input.Text', id: 'delivery', label: t(locale, 'plan.fact.delivery'), placeholder: t(locale, 'plan.edit.quarterHint'), value: v.delivery, maxLength: 10 },
    ...problem('delivery'),
  );
  return card(body, [submit(t(locale, 'plan.edit.save'), { verb: 'planSave', id: plan.id, revision: plan.revision })]);
}

// ---- History, notices, import report. ----

export function historyCard(locale: Locale, plan: Plan, entries: HistoryEntry[]): AdaptiveCard {
  // A plan's arrival has no entry of its own: its row says when it came.
  const arrival: HistoryEntry[] = entries.some((e) => e.created)
    ? []
    : [{ planId: plan.id, at: plan.createdAt, by: { tenantId: '', aadObjectId: '', name: '', via: 'import' }, created: true, changes: [] }];
  const newest = [...arrival, ...entries].reverse();
  const shown = newest.slice(0, 10);
  const body: CardElement[] = [heading(t(locale, 'plan.history.title', { name: literal(plan.name) }))];
  if (!shown.length) body.push(textBlock(t(locale, 'plan.history.empty')));
  for (const e of shown) {
    body.push(
      textBlock(t(locale, 'plan.history.line', { date: formatDate(new Date(e.at), locale), who: changerLabel(locale, e.by) }), { weight: 'Bolder', spacing: 'Medium' }),
      textBlock(e.created ? t(locale, 'plan.history.created') : changeLines(locale, e.changes), { spacing: 'None' }),
    );
  }
  if (newest.length > shown.length) body.push(textBlock(t(locale, 'plan.history.earlier', { count: newest.length - shown.length }), { isSubtle: true }));
  return card(body, [submit(t(locale, 'plan.open'), { verb: 'planOpen', id: plan.id })]);
}

/** To a follower: who changed the plan they follow, and what ("Pieter de Graaf heeft het plan … gewijzigd"). */
export function noticeCard(locale: Locale, plan: Plan, changes: FieldChange[], by?: Changer): AdaptiveCard {
  const who = by && changerLabel(locale, by);
  // "De import van de planlijst heeft…": the sentence starts with a capital, whoever changed it.
  const said = who ? t(locale, 'plan.noticeBy', { who: literal(who.charAt(0).toUpperCase() + who.slice(1)), name: literal(plan.name) }) : t(locale, 'plan.notice', { name: literal(plan.name) });
  return card(
    [textBlock(said, { weight: 'Bolder' }), textBlock(changeLines(locale, changes))],
    [submit(t(locale, 'plan.open'), { verb: 'planOpen', id: plan.id })],
  );
}

/** The report cut to what one message shows: counts, the first rejected rows, a few unknown columns. */
export function summariseReport(report: ImportReport): ImportReport {
  if (report.status !== 'done') return report;
  return {
    ...report,
    rejected: report.rejected.slice(0, REPORT_ROWS),
    rejectedTotal: report.rejectedTotal ?? report.rejected.length,
    unknownColumns: report.unknownColumns.slice(0, REPORT_COLUMNS).map((c) => clip(c, COLUMN_NAME_SHOWN)),
    unknownTotal: report.unknownTotal ?? report.unknownColumns.length,
  };
}

/** "1.200 nieuw, 3 gewijzigd, …": the import's counts in the person's number format (the card and the script). */
export function importSummary(locale: Locale, counts: { created: number; changed: number; unchanged: number; rejected: number }): string {
  return t(locale, 'plan.import.summary', {
    created: n(counts.created, locale),
    changed: n(counts.changed, locale),
    unchanged: n(counts.unchanged, locale),
    rejected: n(counts.rejected, locale),
  });
}

export function importReportCard(locale: Locale, full: ImportReport): AdaptiveCard {
  if (full.status === 'refused') {
    return card([textBlock(t(locale, 'plan.import.refusedTitle'), { weight: 'Bolder', color: 'Attention' }), textBlock(literal(problemText(locale, full.problem)))]);
  }
  const report = summariseReport(full) as Extract<ImportReport, { status: 'done' }>;
  const rejected = report.rejectedTotal ?? report.rejected.length;
  const unknown = report.unknownTotal ?? report.unknownColumns.length;
  const body: CardElement[] = [
    textBlock(t(locale, 'plan.import.title'), { weight: 'Bolder', size: 'Medium' }),
    textBlock(importSummary(locale, { ...report, rejected })),
  ];
  if (unknown) {
    const more = unknown > report.unknownColumns.length ? t(locale, 'plan.import.moreColumns', { count: n(unknown - report.unknownColumns.length, locale) }) : '';
    body.push(textBlock(literal(t(locale, 'plan.import.unknownColumns', { columns: report.unknownColumns.join(', ') })) + more, { isSubtle: true }));
  }
  if (report.rejected.length) {
    body.push(textBlock(t(locale, 'plan.import.rejectedTitle'), { weight: 'Bolder', color: 'Attention', spacing: 'Medium' }));
    body.push(textBlock(importRejectionLines(locale, report.rejected).map((line) => literal(clip(line, REASON_SHOWN))).join('\n\n')));
    if (rejected > report.rejected.length) body.push(textBlock(t(locale, 'plan.import.more', { count: n(rejected - report.rejected.length, locale) })));
  }
  return card(body, [submit(t(locale, 'menu.progress'), { verb: 'command', command: 'voortgang' })]);
}

/** "Rij 7: …" for each rejected row, as the card and the command line show it. */
export function importRejectionLines(locale: Locale, rejected: Array<{ number: number; problems: Problem[] }>): string[] {
  return rejected.map((r) => t(locale, 'plan.import.row', { row: r.number, reasons: r.problems.map((p) => problemText(locale, p)).join(' ') }));
}

