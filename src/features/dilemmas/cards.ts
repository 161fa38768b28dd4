// Dilemma cards: the form, confirmation, list, detail and the author's notice. Pure functions of data and locale.
import { MESSAGE_BUDGET_BYTES, utf16Bytes } from '../../cards/budget';
import { clip, literal } from '../../cards/markdown';
import { formatDate, formatMoment, type Locale } from '../../i18n';
import { t, type DilemmaMessageKey as MessageKey } from './messages';
import {
  actionSet,
  card,
  choiceSet,
  commandButton,
  fieldError,
  heading,
  submit,
  subheading,
  textBlock,
  type AdaptiveCard,
  type CardElement,
} from '../../cards/adaptive';
import type { Organisation } from '../members';
import {
  ANY,
  LIMITS,
  OTHER_PLAN,
  PAGE_SIZE,
  PLAN_DATASET,
  REGION_WIDE,
  SECRETARIAAT_STATUSES,
  STATUSES,
  THEMES,
  type Author,
  type Dilemma,
  type DilemmaField,
  type DilemmaResponse,
  type DilemmaStatus,
  type DilemmaSummary,
  type ListFilter,
} from './model';
import type { FieldProblem } from './service';

export { PAGE_SIZE };

/** A plan of the plan list, as the plans capability offers it. */
export interface PlanChoice {
  id: string;
  name: string;
}

function themeLabel(locale: Locale, id: string): string {
  return THEMES.find((th) => th.id === id)?.[locale] ?? id;
}

export function statusLabel(locale: Locale, status: DilemmaStatus): string {
  return t(locale, `dilemma.status.${status}` as MessageKey);
}

function municipalityChoices(locale: Locale, municipalities: Organisation[]) {
  return [
    { title: t(locale, 'dilemma.regionWide'), value: REGION_WIDE },
    ...municipalities.map((m) => ({ title: m.name.replace(/^Gemeente /, ''), value: m.id })),
  ];
}

function municipalityNames(locale: Locale, ids: string[], municipalities: Organisation[]): string {
  return ids
    .map((id) => (id === REGION_WIDE ? t(locale, 'dilemma.regionWide') : municipalities.find((m) => m.id === id)?.name.replace(/^Gemeente /, '') ?? id))
    .join(', ');
}

/** What the form shows: the values as typed (strings), so nothing is lost when it comes back. */
export interface DilemmaFormValues {
  title?: string;
  description?: string;
  theme?: string;
  municipalities?: string;
  relatedPlan?: string;
  relatedPlanId?: string;
  visibility?: string;
  wantsAgenda?: string;
}

export interface DilemmaFormOptions {
  submissionId: string;
  municipalities: Organisation[];
  values?: DilemmaFormValues;
  problems?: Partial<Record<DilemmaField, FieldProblem | 'truncated'>>;
  editId?: string;
  /**
   * With a plan list (the plans capability), the form offers a plan choice: Teams finds plans as one types
   * (typeahead); these few are offered by themselves, for clients without it (the chosen plan among them).
   */
  plans?: PlanChoice[];
}

/** A plan choice that Teams fills as one types (`Data.Query`), with a short static list for other clients. */
function planChoiceSet(id: string, label: string, choices: Array<{ title: string; value: string }>, extra: CardElement): CardElement {
  return choiceSet(id, label, choices, { style: 'filtered', 'choices.data': { type: 'Data.Query', dataset: PLAN_DATASET }, ...extra });
}

export function dilemmaFormCard(locale: Locale, options: DilemmaFormOptions): AdaptiveCard {
  const v = options.values ?? {};
  const problems = options.problems ?? {};
  // The field's own limit fills "{max}" in every sentence that names one.
  const problem = (field: DilemmaField): CardElement[] => {
    const p = problems[field];
    if (!p) return [];
    const key = field === 'municipalities' && p === 'required' ? 'dilemma.problem.municipalitiesRequired' : (`dilemma.problem.${p}` as MessageKey);
    const max = (LIMITS as Partial<Record<string, number>>)[field];
    return [fieldError(t(locale, key, max === undefined ? {} : { max }), field)];
  };
  const body: CardElement[] = [
    heading(options.editId ? t(locale, 'dilemma.editTitle', { id: options.editId }) : t(locale, 'dilemma.formTitle')),
    ...(options.editId ? [] : [textBlock(t(locale, 'dilemma.formIntro'))]),
    textBlock(t(locale, 'dilemma.privacy'), { isSubtle: true, size: 'Small' }),
  ];
  if (Object.keys(problems).length) body.push(textBlock(t(locale, 'dilemma.formProblems'), { color: 'Attention', weight: 'Bolder' }));
  body.push(
    {
      type: 'Input.Text',
      id: 'title',
      label: t(locale, 'dilemma.field.title'),
      maxLength: LIMITS.title,
      isRequired: true,
      errorMessage: t(locale, 'dilemma.problem.required'),
      value: v.title ?? '',
    },
    ...problem('title'),
    {
      type: 'Input.Text',
      id: 'description',
      label: t(locale, 'dilemma.field.description'),
      isMultiline: true,
      maxLength: LIMITS.description,
      isRequired: true,
      errorMessage: t(locale, 'dilemma.problem.required'),
      value: v.description ?? '',
    },
    ...problem('description'),
    choiceSet(
      'theme',
      t(locale, 'dilemma.field.theme'),
      THEMES.map((th) => ({ title: th[locale], value: th.id })),
      // The placeholder says what to choose too: some screen readers read it instead of the label.
      { placeholder: t(locale, 'dilemma.chooseTheme'), isRequired: true, errorMessage: t(locale, 'dilemma.problem.unknownTheme'), ...(v.theme ? { value: v.theme } : {}) },
    ),
    ...problem('theme'),
    choiceSet('municipalities', t(locale, 'dilemma.field.municipalities'), municipalityChoices(locale, options.municipalities), {
      isMultiSelect: true,
      placeholder: t(locale, 'dilemma.chooseMunicipalities'),
      isRequired: true,
      errorMessage: t(locale, 'dilemma.problem.municipalitiesRequired'),
      ...(v.municipalities ? { value: v.municipalities } : {}),
    }),
    // "Regio-breed" stands alone: say so before someone picks municipalities beside it.
    textBlock(t(locale, 'dilemma.regionWideHint'), { isSubtle: true, size: 'Small', spacing: 'None' }),
    ...problem('municipalities'),
    ...planFields(locale, options.plans, v),
    ...problem('relatedPlanId'),
    ...problem('relatedPlan'),
    choiceSet(
      'visibility',
      t(locale, 'dilemma.field.visibility'),
      [
        { title: t(locale, 'dilemma.visibility.members'), value: 'members' },
        { title: t(locale, 'dilemma.visibility.confidential'), value: 'confidential' },
      ],
      { style: 'expanded', value: v.visibility === 'confidential' ? 'confidential' : 'members' },
    ),
    ...problem('visibility'),
    {
      type: 'Input.Toggle',
      id: 'wantsAgenda',
      label: t(locale, 'dilemma.field.agenda'),
      title: t(locale, 'dilemma.field.wantsAgenda'),
      valueOn: 'true',
      valueOff: 'false',
      value: v.wantsAgenda === 'true' ? 'true' : 'false',
    },
  );
  return card(body, [
    submit(t(locale, 'dilemma.save'), {
      verb: 'dilemmaSave',
      submissionId: options.submissionId,
      ...(options.editId ? { editId: options.editId } : {}),
    }),
  ]);
}

/**
 * The plan fields: a free-text field; with a plan list, first a choice of its plans (and "another plan",
 * for one not in the list, typed in the text field below it).
 */
function planFields(locale: Locale, plans: PlanChoice[] | undefined, v: DilemmaFormValues): CardElement[] {
  const text = (label: string): CardElement => ({
    type: 'Input.Text',
    id: 'relatedPlan',
    label,
    maxLength: LIMITS.relatedPlan,
    value: v.relatedPlan ?? '',
  });
  if (!plans) return [text(t(locale, 'dilemma.field.relatedPlan'))];
  const chosen = v.relatedPlanId && plans.some((p) => p.id === v.relatedPlanId) ? v.relatedPlanId : v.relatedPlan ? OTHER_PLAN : undefined;
  return [
    planChoiceSet(
      'relatedPlanId',
      t(locale, 'dilemma.field.planChoice'),
      [...plans.map((p) => ({ title: p.name, value: p.id })), { title: t(locale, 'dilemma.otherPlan'), value: OTHER_PLAN }],
      { placeholder: t(locale, 'dilemma.choosePlan'), ...(chosen ? { value: chosen } : {}) },
    ),
    text(t(locale, 'dilemma.field.relatedPlanOther')),
  ];
}

/** The name of a dilemma's plan: from the plan list when it points there, else as typed. */
function planName(d: Pick<Dilemma, 'relatedPlan' | 'relatedPlanId'>, plans: PlanChoice[] | undefined): string {
  return (d.relatedPlanId && plans?.find((p) => p.id === d.relatedPlanId)?.name) || d.relatedPlan || d.relatedPlanId;
}

/** The facts of a dilemma as a person checks them: theme, where, status, plan, who sees it, agenda wish. */
function dilemmaFacts(locale: Locale, d: Dilemma, municipalities: Organisation[], plans?: PlanChoice[]): CardElement {
  const plan = planName(d, plans);
  const facts = [
    { title: t(locale, 'dilemma.field.theme'), value: themeLabel(locale, d.theme) },
    { title: t(locale, 'dilemma.fact.municipalities'), value: municipalityNames(locale, d.municipalities, municipalities) },
    { title: t(locale, 'dilemma.filter.status'), value: statusLabel(locale, d.status) },
    ...(plan ? [{ title: t(locale, 'dilemma.fact.plan'), value: plan }] : []),
    {
      title: t(locale, 'dilemma.fact.visibility'),
      value: t(locale, d.visibility === 'confidential' ? 'dilemma.visibility.confidential' : 'dilemma.visibility.members'),
    },
    ...(d.wantsAgenda ? [{ title: t(locale, 'dilemma.fact.agenda'), value: t(locale, 'dilemma.fact.agendaYes') }] : []),
  ];
  return { type: 'FactSet', facts };
}

export function dilemmaSavedCard(
  locale: Locale,
  dilemma: Dilemma,
  created: boolean,
  municipalities: Organisation[],
  plans?: PlanChoice[],
  /** Municipalities chosen beside "Regio-breed", which therefore were not kept: the card says so. */
  droppedBesideRegion: string[] = [],
): AdaptiveCard {
  return card(
    [
      textBlock(t(locale, created ? 'dilemma.saved' : 'dilemma.updated', { id: dilemma.id }), { weight: 'Bolder' }),
      ...(droppedBesideRegion.length
        ? [textBlock(t(locale, 'dilemma.regionWideKept', { municipalities: municipalityNames(locale, droppedBesideRegion, municipalities) }))]
        : []),
      textBlock(`**${literal(dilemma.title)}**`),
      dilemmaFacts(locale, dilemma, municipalities, plans),
    ],
    [submit(t(locale, 'dilemma.open', { id: dilemma.id }), { verb: 'dilemmaOpen', id: dilemma.id })],
  );
}

/** What a list row shows of a typed text, at most (the dilemma's own card shows it whole). */
const LIST_CLIP = { title: 100 } as const;

interface ListView {
  dilemmas: DilemmaSummary[];
  /** Where the next page starts; set only when there is (or may be) more. */
  next?: string;
  /** The read stopped at its limit: say so, and offer to look further. */
  capped: boolean;
  /** This page follows an earlier one ("Meer"). */
  continued: boolean;
  filter: ListFilter;
  organisationName: (id: string) => string;
  municipalities: Organisation[];
  plans?: PlanChoice[];
}

function isFiltered(f: ListFilter): boolean {
  return Boolean(f.theme || f.municipality || f.status || f.plan || f.words?.trim());
}

export function dilemmaListCard(locale: Locale, view: ListView): AdaptiveCard {
  const f = view.filter;
  const all = { title: t(locale, 'dilemma.filter.all'), value: ANY };
  // The plan filter has no field without a plan list: the buttons carry it, so "Meer" keeps it.
  const hiddenPlan = f.plan && !view.plans ? { plan: f.plan } : {};
  const body: CardElement[] = [
    heading(t(locale, 'dilemma.listTitle')),
    {
      type: 'ColumnSet',
      columns: [
        {
          type: 'Column',
          width: 'stretch',
          items: [
            choiceSet('theme', t(locale, 'dilemma.filter.theme'), [all, ...THEMES.map((th) => ({ title: th[locale], value: th.id }))], {
              value: f.theme ?? ANY,
            }),
          ],
        },
        {
          type: 'Column',
          width: 'stretch',
          items: [
            choiceSet('municipality', t(locale, 'dilemma.filter.municipality'), [all, ...municipalityChoices(locale, view.municipalities)], {
              value: f.municipality ?? ANY,
            }),
          ],
        },
        {
          type: 'Column',
          width: 'stretch',
          items: [
            choiceSet(
              'status',
              t(locale, 'dilemma.filter.status'),
              [all, ...STATUSES.filter((s) => s !== 'ingetrokken').map((s) => ({ title: statusLabel(locale, s), value: s }))],
              { value: f.status ?? ANY },
            ),
          ],
        },
      ],
    },
    ...(view.plans
      ? [
          planChoiceSet('plan', t(locale, 'dilemma.filter.plan'), [all, ...view.plans.map((p) => ({ title: p.name, value: p.id }))], {
            value: f.plan ?? ANY,
          }),
        ]
      : f.plan
        ? [textBlock(t(locale, 'dilemma.listPlan', { plan: f.plan }), { isSubtle: true })]
        : []),
    { type: 'Input.Text', id: 'words', label: t(locale, 'dilemma.filter.words'), maxLength: LIMITS.search, value: f.words ?? '' },
    actionSet([submit(t(locale, 'dilemma.filter.apply'), { verb: 'dilemmaList', ...hiddenPlan })]),
  ];
  if (view.dilemmas.length === 0) {
    const key = view.continued ? 'dilemma.listNoMore' : isFiltered(f) || view.capped ? 'dilemma.listNoMatch' : 'dilemma.listNone';
    body.push(textBlock(t(locale, key)));
    if (key === 'dilemma.listNone') body.push(actionSet([commandButton(t(locale, 'menu.dilemmaNew'), 'dilemma')]));
  }
  for (const d of view.dilemmas) {
    const marks = [
      recognisedText(locale, d.recognisedCount),
      d.responseCount === 1 ? t(locale, 'dilemma.responsesCountOne') : t(locale, 'dilemma.responsesCount', { count: d.responseCount }),
      ...(d.visibility === 'confidential' ? [t(locale, 'dilemma.confidentialMark')] : []),
      ...(d.wantsAgenda && d.status === 'nieuw' ? [t(locale, 'dilemma.agendaMark')] : []),
    ];
    const open = submit(t(locale, 'dilemma.open', { id: d.id }), { verb: 'dilemmaOpen', id: d.id });
    body.push({
      type: 'Container',
      separator: true,
      selectAction: open,
      items: [
        textBlock(`**${d.id}** · ${literal(clip(d.title, LIST_CLIP.title))}`),
        textBlock(
          t(locale, 'dilemma.meta', {
            theme: themeLabel(locale, d.theme),
            by: personWithOrganisation(locale, d.author, view.organisationName),
            date: formatDate(new Date(d.createdAt), locale),
          }),
          { isSubtle: true, spacing: 'None', size: 'Small' },
        ),
        textBlock(`${t(locale, 'dilemma.filter.status')}: ${statusLabel(locale, d.status)} · ${marks.join(' · ')}`, {
          isSubtle: true,
          spacing: 'None',
          size: 'Small',
        }),
        actionSet([open], { spacing: 'Small' }),
      ],
    });
  }
  if (view.capped) body.push(textBlock(t(locale, 'dilemma.listCapped'), { isSubtle: true, size: 'Small' }));
  else if (!view.next && view.dilemmas.length > 0 && view.continued) body.push(textBlock(t(locale, 'dilemma.listEnd'), { isSubtle: true, size: 'Small' }));
  // "Meer" only when there is more; it starts after the last row this page read.
  const actions = view.next ? [submit(t(locale, 'dilemma.more'), { verb: 'dilemmaList', after: view.next, ...hiddenPlan })] : [];
  return card(body, actions);
}

interface DetailView {
  dilemma: Dilemma;
  responses: DilemmaResponse[];
  recognised: boolean;
  isAuthor: boolean;
  isSecretariaat: boolean;
  /** In a shared chat or channel: no refresh, no author or secretariaat tools. */
  shared: boolean;
  organisationName: (id: string) => string;
  municipalities: Organisation[];
  /** A line at the top, e.g. the result of the button just pressed. */
  notice?: string;
  /** A response that came back (too long), so the text is not lost. */
  draftResponse?: string;
  /** A fresh id for the response form, so sending it twice stores one response. */
  responseSubmissionId: string;
  plans?: PlanChoice[];
  /** A button another capability adds (expertise: "Wie weet hier iets van?"). */
  extraAction?: CardElement;
}

/** "Nog niemand herkent dit", "1 lid herkent dit", "3 leden herkennen dit". */
function recognisedText(locale: Locale, count: number): string {
  if (count === 0) return t(locale, 'dilemma.recognisedNone');
  return count === 1 ? t(locale, 'dilemma.recognisedOne') : t(locale, 'dilemma.recognisedMany', { count });
}

/** The line after pressing "Herkenbaar" (or taking it back). */
export function recognitionNotice(locale: Locale, recognised: boolean, count: number): string {
  if (!recognised) return t(locale, 'dilemma.unrecognised', { state: recognisedText(locale, count) });
  return count === 1 ? t(locale, 'dilemma.recognisedFirst') : t(locale, 'dilemma.recognised', { count });
}

/**
 * One rule for who logged or wrote something, on the list and the detail alike: the person and their
 * organisation, "oud-lid" for someone erased, and no empty brackets when the organisation is not known.
 */
function personWithOrganisation(locale: Locale, person: Author, organisationName: (id: string) => string, bold = false): string {
  const name = person.name ? literal(person.name) : t(locale, 'dilemma.formerMember');
  const organisation = person.organisationId ? organisationName(person.organisationId) : '';
  const who = bold ? `**${name}**` : name;
  return organisation ? `${who} (${literal(organisation)})` : who;
}

export function dilemmaDetailCard(locale: Locale, view: DetailView): AdaptiveCard {
  const d = view.dilemma;
  const body: CardElement[] = [];
  if (view.notice) body.push(textBlock(view.notice, { weight: 'Bolder', color: 'Accent' }));
  body.push(
    heading(`${d.id} · ${literal(d.title)}`),
    textBlock(
      t(locale, 'dilemma.author', {
        by: personWithOrganisation(locale, d.author, view.organisationName),
        date: formatDate(new Date(d.createdAt), locale),
      }),
      { isSubtle: true, spacing: 'None' },
    ),
  );
  if (d.visibility === 'confidential') body.push(textBlock(t(locale, 'dilemma.confidentialNote'), { weight: 'Bolder' }));
  body.push(dilemmaFacts(locale, d, view.municipalities, view.plans), textBlock(literal(d.description)));
  if (d.outcome) body.push(textBlock(t(locale, 'dilemma.outcome', { outcome: literal(d.outcome) }), { weight: 'Bolder' }));
  body.push(textBlock(recognisedText(locale, d.recognisedBy.length), { isSubtle: true }));

  body.push(subheading(t(locale, 'dilemma.responses')));
  if (view.responses.length === 0) body.push(textBlock(t(locale, view.isAuthor ? 'dilemma.noResponsesOwn' : 'dilemma.noResponses'), { isSubtle: true }));
  // The responses go in last, as many as the budget leaves room for (below).
  const responsesAt = body.length;

  const withdrawn = d.status === 'ingetrokken';
  const actions: CardElement[] = [];
  if (!withdrawn) {
    if (!view.isAuthor) {
      // The button says what it will do, so a double click or an old card never flips it back.
      // In a shared chat everyone sees the same card: it only offers to recognise.
      const recognise = view.shared ? true : !view.recognised;
      const title = t(locale, recognise ? 'dilemma.recognise' : 'dilemma.unrecognise');
      actions.push({
        type: 'Action.Execute',
        title,
        verb: 'dilemmaRecognise',
        data: { id: d.id, recognise },
        // Clients without Universal Actions send the same thing as a plain submit.
        fallback: submit(title, { verb: 'dilemmaRecognise', id: d.id, recognise }),
      });
    }
    // The author adds a note (aanvulling) with the same form; talking further is for the others.
    const own = view.isAuthor;
    actions.push({
      type: 'Action.ShowCard',
      title: t(locale, own ? 'dilemma.addNote' : 'dilemma.respond'),
      card: {
        type: 'AdaptiveCard',
        body: [
          textBlock(t(locale, 'dilemma.privacy'), { isSubtle: true, size: 'Small' }),
          {
            type: 'Input.Text',
            id: 'responseText',
            label: t(locale, own ? 'dilemma.noteText' : 'dilemma.responseText'),
            isMultiline: true,
            maxLength: LIMITS.response,
            isRequired: true,
            errorMessage: t(locale, 'dilemma.responseEmpty'),
            value: view.draftResponse ?? '',
          },
          ...(own
            ? []
            : [
                {
                  type: 'Input.Toggle',
                  id: 'wantsToTalk',
                  label: t(locale, 'dilemma.talkLabel'),
                  title: t(locale, 'dilemma.responseWantsToTalk'),
                  valueOn: 'true',
                  valueOff: 'false',
                  value: 'false',
                },
              ]),
        ],
        actions: [
          submit(t(locale, own ? 'dilemma.noteSend' : 'dilemma.responseSend'), {
            verb: 'dilemmaRespond',
            id: d.id,
            submissionId: view.responseSubmissionId,
          }),
        ],
      },
    });
  }
  if (view.extraAction && !withdrawn) actions.push(view.extraAction);
  if (!view.shared && view.isAuthor && d.status === 'nieuw') {
    actions.push(submit(t(locale, 'dilemma.edit'), { verb: 'dilemmaEdit', id: d.id }), {
      type: 'Action.ShowCard',
      title: t(locale, 'dilemma.withdraw'),
      card: {
        type: 'AdaptiveCard',
        body: [textBlock(t(locale, 'dilemma.withdrawConfirm'))],
        actions: [submit(t(locale, 'dilemma.withdrawYes'), { verb: 'dilemmaWithdraw', id: d.id }, { style: 'destructive' })],
      },
    });
  }
  if (!view.shared && view.isSecretariaat && !withdrawn) {
    actions.push({
      type: 'Action.ShowCard',
      title: t(locale, 'dilemma.changeStatus'),
      card: {
        type: 'AdaptiveCard',
        body: [
          choiceSet(
            'status',
            t(locale, 'dilemma.filter.status'),
            SECRETARIAAT_STATUSES.map((s) => ({ title: statusLabel(locale, s), value: s })),
            { value: d.status },
          ),
          { type: 'Input.Text', id: 'outcome', label: t(locale, 'dilemma.outcomeLabel'), isMultiline: true, maxLength: LIMITS.outcome, value: d.outcome },
        ],
        actions: [submit(t(locale, 'dilemma.statusSave'), { verb: 'dilemmaStatus', id: d.id })],
      },
    });
  }
  const result = card(body, actions);
  if (!view.shared) {
    // In a personal chat Teams asks for a fresh card when it is shown again, so counts are never stale.
    result.refresh = { action: { type: 'Action.Execute', title: t(locale, 'dilemma.refresh'), verb: 'dilemmaRefresh', data: { id: d.id } } };
  }
  body.splice(responsesAt, 0, ...responsePage(locale, view, 0, utf16Bytes(result)));
  return result;
}

/** Responses on one card at most; "Meer reacties" shows the next ones. */
const RESPONSES_PER_PAGE = 10;
/** Room kept free for what Teams wraps around a card (the activity, its summary). */
const ENVELOPE_BYTES = 4 * 1024;

function responseElement(locale: Locale, d: Dilemma, r: DilemmaResponse, organisationName: (id: string) => string): CardElement {
  const byAuthor = Boolean(r.author.aadObjectId) && r.author.tenantId === d.author.tenantId && r.author.aadObjectId === d.author.aadObjectId;
  return {
    type: 'Container',
    separator: true,
    items: [
      textBlock(
        `${personWithOrganisation(locale, r.author, organisationName, true)} · ${formatMoment(new Date(r.createdAt), locale)}` +
          (byAuthor ? ` · ${t(locale, 'dilemma.noteMark')}` : '') +
          (r.wantsToTalk ? ` · ${t(locale, 'dilemma.wantsToTalk')}` : ''),
        { size: 'Small' },
      ),
      textBlock(literal(r.text), { spacing: 'Small' }),
    ],
  };
}

/**
 * The responses from `from` on that fit beside a card of `cardBytes` (at most RESPONSES_PER_PAGE, at least
 * one), each whole, and "Meer reacties" when more follow. Texts can be long, so the page is cut by size too.
 */
function responsePage(
  locale: Locale,
  view: Pick<DetailView, 'dilemma' | 'responses' | 'organisationName'>,
  from: number,
  cardBytes: number,
): CardElement[] {
  const { dilemma: d, responses } = view;
  const more = (next: number) =>
    actionSet([submit(t(locale, 'dilemma.moreResponses', { count: responses.length - next }), { verb: 'dilemmaResponses', id: d.id, from: next })]);
  let room = MESSAGE_BUDGET_BYTES - ENVELOPE_BYTES - cardBytes - utf16Bytes(more(responses.length)) - 2;
  const shown: CardElement[] = [];
  let next = from;
  while (next < responses.length && shown.length < RESPONSES_PER_PAGE) {
    const element = responseElement(locale, d, responses[next]!, view.organisationName);
    const bytes = utf16Bytes(element) + 2;
    if (shown.length > 0 && bytes > room) break;
    shown.push(element);
    room -= bytes;
    next++;
  }
  return next < responses.length ? [...shown, more(next)] : shown;
}

interface ResponsesView {
  dilemma: Dilemma;
  responses: DilemmaResponse[];
  /** The first response to show (0 is the first). */
  from: number;
  organisationName: (id: string) => string;
}

/** "Meer reacties": the next responses of a dilemma on a card of their own, with a way back to the dilemma. */
export function dilemmaResponsesCard(locale: Locale, view: ResponsesView): AdaptiveCard {
  const d = view.dilemma;
  const from = Math.min(view.from, Math.max(0, view.responses.length - 1));
  const body: CardElement[] = [heading(`${d.id} · ${literal(d.title)}`)];
  const result = card(body, [submit(t(locale, 'dilemma.open', { id: d.id }), { verb: 'dilemmaOpen', id: d.id })]);
  const page = responsePage(locale, view, from, utf16Bytes(result) + 200);
  const count = page.filter((e) => e.type === 'Container').length;
  body.push(
    textBlock(t(locale, 'dilemma.responsesPage', { from: from + 1, to: from + count, total: view.responses.length, id: d.id }), { isSubtle: true }),
    ...page,
  );
  return result;
}

/** Who did what the notice is about, as the author should read it. */
interface NoticeActor {
  name: string;
  organisation: string;
  /** A response that asked to talk further. */
  wantsToTalk: boolean;
}

/** `at`: when it happened, so notices read in order; `by`: who did it, when still known. */
export function authorNoticeCard(
  locale: Locale,
  dilemma: Dilemma,
  what: 'response' | 'status' | 'outcome',
  at: Date,
  by?: NoticeActor,
): AdaptiveCard {
  const who = by && (by.organisation ? `${literal(by.name)} (${literal(by.organisation)})` : literal(by.name));
  const title = literal(dilemma.title);
  const line =
    what === 'response'
      ? who
        ? t(locale, by!.wantsToTalk ? 'dilemma.noticeResponseByTalk' : 'dilemma.noticeResponseBy', { who, id: dilemma.id, title })
        : t(locale, 'dilemma.noticeResponse', { id: dilemma.id, title })
      : what === 'status'
        ? t(locale, who ? 'dilemma.noticeStatusBy' : 'dilemma.noticeStatus', { who: who ?? '', id: dilemma.id, status: statusLabel(locale, dilemma.status) })
        : t(locale, who ? 'dilemma.noticeOutcomeBy' : 'dilemma.noticeOutcome', { who: who ?? '', id: dilemma.id });
  return card(
    [
      textBlock(line),
      textBlock(t(locale, 'dilemma.noticeAt', { when: formatMoment(at, locale) }), { isSubtle: true, spacing: 'None', size: 'Small' }),
      ...(what !== 'response' && dilemma.outcome ? [textBlock(t(locale, 'dilemma.outcome', { outcome: literal(dilemma.outcome) }))] : []),
    ],
    [submit(t(locale, 'dilemma.open', { id: dilemma.id }), { verb: 'dilemmaOpen', id: dilemma.id })],
  );
}

/** Replaces a stale copy of a dilemma the person may no longer see, so its text does not stay on screen. */
export function dilemmaGoneCard(locale: Locale): AdaptiveCard {
  return card([textBlock(t(locale, 'dilemma.gone'))]);
}
