// Plans without storage: finding a plan as people type it, reading CSV and XLSX files as Dutch offices save
// them, the per-row answers of the import, and every plan card as a Teams client (with or without charts) sees it.
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { checkRows, mapHeader } from '../../src/features/plans/import';
import { readSheet, unpackedSize } from '../../src/features/plans/spreadsheet';
import fc from 'fast-check';
import { distance, PlanIndex } from '../../src/features/plans/search';
import { planId, type Plan } from '../../src/features/plans/model';
import { SAMPLE_FILE } from '../../src/features/plans';
import {
  historyCard,
  importRejectionLines,
  importReportCard,
  noticeCard,
  planCard,
  planChoiceCard,
  planEditCard,
  planListCard,
  progressCard,
} from '../../src/features/plans/cards';
import { checkEdit } from '../../src/features/plans/service';
import { cardProblems } from '../helpers/cards';

const MUNICIPALITIES = ['Blaricum', 'Gooise Meren', 'Hilversum', 'Huizen', 'Laren', 'Wijdemeren'].map((name) => ({
  id: name.toLowerCase().replace(/ /g, '-'),
  name: `Gemeente ${name}`,
}));
const TODAY = new Date('2026-06-01T12:00:00Z');

function plan(name: string, municipality = 'hilversum', extra: Partial<Plan> = {}): Plan {
  return {
    id: planId(municipality, name),
    name,
    municipality,
    location: '',
    initiators: [],
    homes: { total: 100, socialRent: 40, midRent: 20, affordablePurchase: 10, other: 30 },
    phase: 'planprocedure',
    startConstruction: '2027-Q1',
    delivery: '2028-Q4',
    regional: { onList: true, discussedOn: '2025-03-14', advice: 'Akkoord' },
    goals: { woonWerkbalans: { rating: 'draagt-bij', note: 'Dicht bij werk' }, ovBereikbaarheid: { rating: '', note: '' }, betaalbaarheid: { rating: 'aandachtspunt', note: '' } },
    revision: 1,
    createdAt: '2026-01-01T10:00:00.000Z',
    updatedAt: '2026-01-02T10:00:00.000Z',
    updatedBy: { tenantId: 't', aadObjectId: 'a', name: 'Sanne Secretaris', via: 'kaart' },
    ...extra,
  };
}

/**
 * What a client renders: a Teams chart where it knows charts, else the chart's fallback. The validator does not
 * know Chart.* elements, so each must carry a fallback, and the card with the fallbacks in place must be clean.
 */
function renderProblems(card: unknown): string[] {
  const charts: string[] = [];
  const swap = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(swap);
    if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (typeof o.type === 'string' && o.type.startsWith('Chart.')) {
        charts.push(o.type);
        if (!o.fallback || typeof o.fallback !== 'object') return { type: 'TextBlock', text: `${o.type} without fallback` };
        return swap(o.fallback);
      }
      return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, swap(v)]));
    }
    return node;
  };
  const rendered = swap(card);
  const problems = cardProblems(rendered);
  if (JSON.stringify(rendered).includes('without fallback')) problems.push('a chart without fallback');
  // Against the real card, the only complaint allowed is an unknown chart type (which then uses its fallback).
  const raw = cardProblems(card).filter((p) => !/Unknown element type "Chart\.[A-Za-z.]+"\. Fallback will be used/.test(p));
  return [...problems, ...raw];
}

describe('finding a plan by name', () => {
  const index = new PlanIndex();
  for (const p of [plan('De Boomgaard'), plan('Zonnewijzerhof'), plan('Spoorzicht'), plan('Boomgaard West', 'huizen'), plan('Café de Kroon')]) {
    index.put({ plan: p, etag: '' });
  }

  it('finds a plan whatever the case, accents and a typo', () => {
    expect(index.find('ZONNEWIJZERHOF')).toMatchObject({ kind: 'one', plan: { name: 'Zonnewijzerhof' } });
    expect(index.find('cafe de kroon')).toMatchObject({ kind: 'one', plan: { name: 'Café de Kroon' } });
    expect(index.find('zonnewijzrhof')).toMatchObject({ kind: 'one', plan: { name: 'Zonnewijzerhof' } });
    expect(index.find('spoorzihct')).toMatchObject({ kind: 'one', plan: { name: 'Spoorzicht' } });
  });

  it('finds a plan by part of a word', () => {
    expect(index.find('spoor')).toMatchObject({ kind: 'one', plan: { name: 'Spoorzicht' } });
  });

  it('offers a choice when several plans match, and the exact name when it is typed in full', () => {
    const found = index.find('boomgaard');
    expect(found.kind).toBe('several');
    expect(found.kind === 'several' && found.plans.map((p) => p.name).sort()).toEqual(['Boomgaard West', 'De Boomgaard']);
    expect(index.find('de boomgaard')).toMatchObject({ kind: 'one', plan: { name: 'De Boomgaard' } });
  });

  it('names the closest plans when nothing matches every word', () => {
    const found = index.find('boomgaard zuid');
    expect(found.kind).toBe('none');
    expect(found.kind === 'none' && found.closest.map((p) => p.name)).toEqual(expect.arrayContaining(['De Boomgaard', 'Boomgaard West']));
    expect(index.find('xyzzy')).toEqual({ kind: 'none', closest: [] });
  });

  it('follows a rename: the old name no longer finds it', () => {
    const local = new PlanIndex();
    local.put({ plan: plan('Oude Naam'), etag: '' });
    local.put({ plan: { ...plan('Nieuwe Naam'), id: planId('hilversum', 'Oude Naam'), revision: 2 }, etag: '' });
    expect(local.find('oude naam').kind).toBe('none');
    expect(local.find('nieuwe naam').kind).toBe('one');
  });
});

async function rowsOf(bytes: Buffer) {
  const sheet = await readSheet(bytes);
  if (!sheet.ok) throw new Error(`refused: ${sheet.problem.key}`);
  const mapping = mapHeader(sheet.header);
  if (!mapping.ok) throw new Error(`refused: ${mapping.problem.key}`);
  return checkRows(sheet.rows, mapping.columns, MUNICIPALITIES, TODAY);
}

const HEADER = 'naam;gemeente;totaal;sociale huur;middenhuur;betaalbare koop;overig;fase;start bouw;oplevering;besproken op';

describe('reading a plan list', () => {
  it('reads the committed sample file: fifteen valid plans across the six municipalities', async () => {
    const rows = await rowsOf(readFileSync(SAMPLE_FILE));
    expect(rows.filter((r) => !r.ok)).toEqual([]);
    expect(rows).toHaveLength(15);
    const municipalities = new Set(rows.map((r) => (r.ok ? r.values.municipality : '')));
    expect(municipalities.size).toBe(6);
  });

  it('reads semicolon CSV from Dutch Excel in Windows-1252, with Dutch thousands', async () => {
    const text = `${HEADER}\r\nÉénhoorn;Gooise Meren;1.250;400;;;;in aanbouw;2025 Q2;Q4 2027;14-03-2025\r\n`;
    const rows = await rowsOf(Buffer.from(text, 'latin1'));
    expect(rows).toEqual([
      expect.objectContaining({
        ok: true,
        values: expect.objectContaining({ name: 'Éénhoorn', municipality: 'gooise-meren', phase: 'in-aanbouw', startConstruction: '2025-Q2', delivery: '2027-Q4', discussedOn: '2025-03-14' }),
      }),
    ]);
    const values = rows[0]!.ok ? rows[0]!.values : undefined;
    expect(values?.homes).toEqual({ total: 1250, socialRent: 400, midRent: 0, affordablePurchase: 0, other: 850 });
  });

  it('reads comma CSV in UTF-8 with a BOM', async () => {
    const text = `\ufeffnaam,gemeente,totaal,fase\r\n"Kade, Noord",Huizen,60,haalbaarheid\r\n`;
    const rows = await rowsOf(Buffer.from(text, 'utf8'));
    expect(rows[0]).toMatchObject({ ok: true, values: { name: 'Kade, Noord', municipality: 'huizen' } });
  });

  it('answers every bad row by its number and reason, in Dutch, and keeps the good ones', async () => {
    const lines = [
      HEADER,
      'Goed Plan;Hilversum;80;30;20;10;;planprocedure;2027-Q1;2028-Q4;',
      'Te Veel;Hilversum;50;40;20;;;planprocedure;;;',
      'Negatief;Huizen;-5;;;;;planprocedure;;;',
      'Absurd;Huizen;999999;;;;;planprocedure;;;',
      'Weesp Centrum;Weesp;60;;;;;planprocedure;;;',
      'Rare Fase;Laren;60;;;;;bijna klaar;;;',
      'Toekomst;Laren;60;;;;;planprocedure;;;01-01-2099',
      'Te Laat;Laren;60;;;;;planprocedure;2027-Q1;2061-Q1;',
      'Omgedraaid;Laren;60;;;;;planprocedure;2029-Q1;2027-Q1;',
      'Formule;Blaricum;=A1*2;;;;;planprocedure;;;',
      'Goed Plan;Hilversum;80;30;20;10;;planprocedure;;;',
      'Kommagetal;Blaricum;12,5;;;;;planprocedure;;;',
      'Telt Niet Op;Blaricum;60;10;10;10;10;planprocedure;;;',
    ];
    const rows = await rowsOf(Buffer.from(lines.join('\n'), 'utf8'));
    expect(rows.filter((r) => r.ok).map((r) => r.number)).toEqual([2]);
    const report = importRejectionLines('nl', rows.flatMap((r) => (r.ok ? [] : [{ number: r.number, problems: r.problems }])));
    const says = (row: number, words: RegExp) => expect(report.find((l) => l.startsWith(`Rij ${row}:`))).toMatch(words);
    says(3, /samen meer dan het totaal/);
    says(4, /negatief/);
    says(5, /te groot.*hooguit 5\.?000/);
    says(6, /Weesp.*hoort niet bij de regio/);
    says(7, /fase "bijna klaar" kennen we niet/);
    says(8, /tussen 2022-01-01 en vandaag/);
    says(9, /buiten 2015–2040/);
    says(10, /start van de bouw.*na de oplevering/);
    says(11, /formule/);
    says(12, /ook al in rij 2/);
    says(13, /geen heel getal/);
    says(14, /tellen niet op/);
  });

  it('refuses a file without the needed columns, an old .xls, a binary file and an oversized file, in one sentence', async () => {
    expect(await readSheet(Buffer.from('naam;totaal\nA;5\n'))).toMatchObject({ ok: true });
    expect(mapHeader(['naam', 'totaal'])).toMatchObject({ ok: false, problem: { key: 'plan.import.missingColumns' } });
    expect(await readSheet(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 1, 2, 3]))).toMatchObject({ ok: false, problem: { key: 'plan.import.oldExcel' } });
    expect(await readSheet(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]))).toMatchObject({ ok: false, problem: { key: 'plan.import.notText' } });
    expect(await readSheet(Buffer.alloc(6 * 1024 * 1024, 'a'))).toMatchObject({ ok: false, problem: { key: 'plan.import.tooBig' } });
    expect(await readSheet(Buffer.alloc(0))).toMatchObject({ ok: false, problem: { key: 'plan.import.empty' } });
  });

  it('reads XLSX, never evaluates a formula cell, and knows the unpacked size before opening it', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Plannen');
    sheet.addRow(['Naam', 'Gemeente', 'Totaal', 'Sociale huur', 'Fase', 'Besproken op']);
    sheet.addRow(['Heidezicht', 'gemeente laren', 70, 25, 'Omgevingsplan vastgesteld', new Date('2025-02-03T00:00:00Z')]);
    sheet.addRow(['Rekensom', 'Laren', { formula: 'C2+1', result: 71 }, 0, 'initiatief', null]);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    expect(unpackedSize(bytes)).toBeGreaterThan(bytes.length);
    const rows = await rowsOf(bytes);
    expect(rows[0]).toMatchObject({ ok: true, number: 2, values: { name: 'Heidezicht', municipality: 'laren', phase: 'omgevingsplan-vastgesteld', discussedOn: '2025-02-03' } });
    expect(rows[1]).toMatchObject({ ok: false, number: 3, problems: [{ key: 'plan.problem.formula' }] });
  });
});

describe('the edit card rules', () => {
  const input = { id: 'hilversum:x', revision: 1, phase: 'in-aanbouw', total: '100', socialRent: '40', midRent: '20', affordablePurchase: '10', other: '', startConstruction: '2026-Q1', delivery: '2027-Q4' };
  it('accepts good values and works out "overig"', () => {
    expect(checkEdit(input)).toEqual({ ok: true, values: { phase: 'in-aanbouw', homes: { total: 100, socialRent: 40, midRent: 20, affordablePurchase: 10, other: 30 }, startConstruction: '2026-Q1', delivery: '2027-Q4' } });
  });
  it('names the field that is wrong', () => {
    expect(checkEdit({ ...input, socialRent: '200' })).toMatchObject({ ok: false, problems: { total: { key: 'plan.problem.partsAboveTotal' } } });
    expect(checkEdit({ ...input, midRent: '-1' })).toMatchObject({ ok: false, problems: { midRent: { key: 'plan.problem.negative' } } });
    expect(checkEdit({ ...input, phase: 'verzonnen' })).toMatchObject({ ok: false, problems: { phase: { key: 'plan.problem.unknownPhase' } } });
  });
});

describe('plan cards', () => {
  const p = plan('De Boomgaard', 'hilversum', { location: 'Oost', initiators: ['Dudok Wonen'] });
  const tally = { byStage: { delivered: 64, construction: 288, hard: 350, soft: 400 }, counted: 1102, socialRent: 420, plans: 12 };
  const figures = {
    settings: { targetHomes: 7000, fromYear: 2022, toYear: 2030, socialRentShare: 1 / 3 },
    region: tally,
    municipalities: MUNICIPALITIES.map((m, i) => ({ id: m.id, name: m.name.replace('Gemeente ', ''), tally: i === 0 ? { ...tally, counted: 0, byStage: { delivered: 0, construction: 0, hard: 0, soft: 0 } } : tally })),
  };

  it('quotes a typed plan name without quotes inside quotes, and shows its stars as typed', () => {
    const said = (planChoiceCard('nl', 'de "Boom" **gaard**', [], 'none', () => 'Hilversum').body[0] as { text: string }).text;
    expect(said).toBe('Er is geen plan met de naam "de ‘Boom’ \\*\\*gaard\\*\\*".');
  });

  it.each(['nl', 'en'] as const)('are valid Adaptive Cards 1.5 (%s)', (locale) => {
    const cards = [
      planCard(locale, { plan: p, municipalityName: 'Hilversum', affordablePurchaseLimit: 390000, following: true, mayEdit: true, dilemmas: [{ id: 'D-2026-001', title: 'Parkeren' }] }),
      planCard(locale, { plan: p, municipalityName: 'Hilversum', affordablePurchaseLimit: 390000, standalone: true }),
      planChoiceCard(locale, 'boomgaard', [p, p], 'several', () => 'Hilversum'),
      planChoiceCard(locale, 'x', [], 'none', () => 'Hilversum'),
      planListCard(locale, { plans: Array.from({ length: 30 }, () => p), tally, municipalities: MUNICIPALITIES }),
      planEditCard(locale, { plan: p, problems: { total: { key: 'plan.problem.partsAboveTotal', vars: { parts: 9, total: 1 } } } }),
      historyCard(locale, p, [{ planId: p.id, at: p.updatedAt, by: p.updatedBy, created: false, changes: [{ field: 'phase', from: 'planprocedure', to: 'in-aanbouw' }] }]),
      noticeCard(locale, p, [{ field: 'homes.total', from: '100', to: '120' }]),
      importReportCard(locale, { status: 'done', created: 1, changed: 2, unchanged: 3, rejected: [{ number: 4, problems: [{ key: 'plan.problem.negative', vars: { field: 'totaal', value: '-1' } }] }], unknownColumns: ['kleur'] }),
      importReportCard(locale, { status: 'refused', problem: { key: 'plan.import.oldExcel' } }),
    ];
    for (const c of cards) expect(cardProblems(c)).toEqual([]);
    expect(renderProblems(progressCard(locale, figures))).toEqual([]);
  });

  it('shows progress as a Teams donut chart with the column bars as fallback, numbers in Dutch', () => {
    const card = progressCard('nl', figures);
    const json = JSON.stringify(card);
    const chart = card.body.find((e) => e.type === 'Chart.Donut') as { data: Array<{ legend: string; value: number }>; fallback: { type: string } };
    expect(chart.data).toEqual(expect.arrayContaining([expect.objectContaining({ legend: 'Opgeleverd', value: 64 }), expect.objectContaining({ legend: 'Nog niet in beeld', value: 5898 })]));
    expect(chart.fallback.type).toBe('ColumnSet');
    expect(json).toContain('1.102 van de 7.000 woningen');
    expect(json).toContain('"style":"good"');
    expect(json).toMatch(/"width":5898/);
  });

  describe('progress readable without hovering and without colour', () => {
    const big = { byStage: { delivered: 6000, construction: 1250, hard: 2400, soft: 12345 }, counted: 21995, socialRent: 7001, plans: 90 };
    const stages = { delivered: 'Opgeleverd', construction: 'In aanbouw', hard: 'Hard gepland', soft: 'Zacht gepland' } as const;
    type StageId = keyof typeof stages;
    const only = (stage: StageId, value: number) => ({
      byStage: { delivered: 0, construction: 0, hard: 0, soft: 0, [stage]: value },
      counted: value,
      socialRent: 0,
      plans: 1,
    });
    const perStage = {
      settings: { targetHomes: 30000, fromYear: 2022, toYear: 2030, socialRentShare: 1 / 3 },
      region: big,
      municipalities: (Object.keys(stages) as StageId[]).map((stage) => ({ id: stage, name: `Alleen ${stages[stage]}`, tally: only(stage, 1500) })),
    };
    const texts = (node: unknown): string[] => {
      if (Array.isArray(node)) return node.flatMap(texts);
      if (!node || typeof node !== 'object') return [];
      const e = node as Record<string, unknown>;
      if (e.type === 'Chart.Donut') return texts(e.fallback);
      return [...(e.type === 'TextBlock' ? [String(e.text)] : []), ...Object.values(e).flatMap((v) => (typeof v === 'object' ? texts(v) : []))];
    };
    /** Every legend line of the card: the colour of its swatch and its words. */
    const legendLines = (node: unknown): Array<{ style: string; text: string }> => {
      if (Array.isArray(node)) return node.flatMap(legendLines);
      if (!node || typeof node !== 'object') return [];
      const e = node as Record<string, unknown>;
      const columns = e.columns as Array<Record<string, unknown>> | undefined;
      if (e.type === 'ColumnSet' && columns?.length === 2 && columns[0]!.width === '12px') {
        return [{ style: String(columns[0]!.style), text: texts(columns[1]).join(' ') }];
      }
      return Object.values(e).flatMap((v) => (typeof v === 'object' ? legendLines(v) : []));
    };

    it('writes every stage with its number in Dutch format on the card, in the chart-less fallback too', () => {
      const shown = texts(progressCard('nl', perStage).body).join('\n');
      for (const line of ['Opgeleverd: **6.000**', 'In aanbouw: **1.250**', 'Hard gepland: **2.400**', 'Zacht gepland: **12.345**', 'Nog niet in beeld: **8.005**']) {
        expect(shown).toContain(line);
      }
      // Each municipality's bar in words.
      expect(shown).toContain('Opgeleverd 0 · In aanbouw 0 · Hard gepland 0 · Zacht gepland 1.500');
      expect(texts(progressCard('en', perStage).body).join('\n')).toContain('Softly planned: **12,345**');
    });

    it('gives one stage one colour in the donut, the legends and every municipality bar', () => {
      const card = progressCard('nl', perStage);
      // Teams' chart colours that match the container styles of the bars.
      const chartFor: Record<string, string> = { good: 'good', accent: 'categoricalBlue', warning: 'warning', attention: 'attention', emphasis: 'neutral' };
      const styleOf = new Map<string, Set<string>>();
      for (const line of legendLines(card.body)) {
        const label = line.text.replace(/:.*$/, '');
        styleOf.set(label, new Set([...(styleOf.get(label) ?? []), line.style]));
      }
      for (const label of [...Object.values(stages), 'Nog niet in beeld']) expect([label, [...(styleOf.get(label) ?? [])]]).toEqual([label, [expect.any(String)]]);
      const styles = [...styleOf.values()].map((set) => [...set][0]);
      expect(new Set(styles).size).toBe(styles.length);
      const chart = card.body.find((e) => e.type === 'Chart.Donut') as { data: Array<{ legend: string; color: string }> };
      for (const point of chart.data) expect([point.legend, point.color]).toEqual([point.legend, chartFor[[...styleOf.get(point.legend)!][0]!]]);
      // A municipality with homes in one stage only: its bar's coloured part has that stage's legend colour.
      for (const [stage, label] of Object.entries(stages)) {
        const at = card.body.findIndex((e) => JSON.stringify(e).includes(`**Alleen ${label}**`));
        const barColumns = (card.body[at + 1] as { columns: Array<{ style: string }> }).columns;
        expect([stage, barColumns[0]!.style]).toEqual([stage, [...styleOf.get(label)!][0]]);
      }
    });

    it('puts a key under the bars of the plan list and the plan card', () => {
      const list = planListCard('nl', { plans: [p], tally: big, municipalities: MUNICIPALITIES });
      expect(legendLines(list.body).map((l) => l.text)).toEqual(['Opgeleverd: **6.000**', 'In aanbouw: **1.250**', 'Hard gepland: **2.400**', 'Zacht gepland: **12.345**']);
      const one = planCard('nl', { plan: { ...p, homes: { total: 100, socialRent: 40, midRent: 30, affordablePurchase: 0, other: 30 } }, municipalityName: 'Hilversum', affordablePurchaseLimit: 390000 });
      expect(legendLines(one.body).map((l) => l.text)).toEqual(['Sociale huur', 'Middenhuur', 'Overig']);
    });
  });
});

describe('the Teams app package', () => {
  it('offers "Plan zoeken" as a search message extension of the bot, and takes files', async () => {
    const { buildAppPackage } = await import('../../scripts/package-app');
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const appId = '3f2a9c1e-7b4d-4e8a-9c6f-1d2e3f4a5b6c';
    const { manifest } = await buildAppPackage({ env: { MICROSOFT_APP_ID: appId }, outFile: `${mkdtempSync(`${tmpdir()}/plans-`)}/app.zip` });
    const extensions = manifest.composeExtensions as Array<{ botId: string; commands: Array<{ id: string; type: string; title: string }> }>;
    expect(extensions[0]).toMatchObject({ botId: appId, commands: [{ id: 'planSearch', type: 'query', title: 'Plan zoeken' }] });
    expect(manifest.bots?.[0]).toMatchObject({ supportsFiles: true });
    const titles = (manifest.bots?.[0].commandLists ?? []).map((l) => l.commands.map((c) => c.title));
    for (const list of titles) expect(list).toEqual(expect.arrayContaining(['plan', 'plannen', 'voortgang']));
  });
});

describe('finding a plan typed as one word', () => {
  it('finds "deboomgaard" and "zonnewijzerhoff"', () => {
    const index = new PlanIndex();
    for (const p of [plan('De Boomgaard'), plan('Zonnewijzerhof')]) index.put({ plan: p, etag: '' });
    expect(index.find('deboomgaard')).toMatchObject({ kind: 'one', plan: { name: 'De Boomgaard' } });
    expect(index.find('zonnewijzerhoff')).toMatchObject({ kind: 'one', plan: { name: 'Zonnewijzerhof' } });
  });
});

describe('plan search keeps its promises', () => {
  const index = new PlanIndex();
  for (const p of [plan('Spoorlaan'), plan('Spoorzicht'), plan('Annas Hoeve', 'huizen'), plan('Annas Hof', 'laren'), plan('Weide')]) index.put({ plan: p, etag: '' });

  it('offers a choice when two names match equally well, instead of opening the first', () => {
    const found = index.find('spoor');
    expect(found.kind).toBe('several');
    expect(found.kind === 'several' && found.plans.map((p) => p.name).sort()).toEqual(['Spoorlaan', 'Spoorzicht']);
  });

  it('opens the nearer name typed as one word, not a farther one', () => {
    // "annashoev" is one letter from "Annas Hoeve" and two from "Annas Hof".
    expect(index.find('annashoev')).toMatchObject({ kind: 'one', plan: { name: 'Annas Hoeve' } });
  });

  it('finds a short name with two letters swapped', () => {
    expect(index.find('wiede')).toMatchObject({ kind: 'one', plan: { name: 'Weide' } });
  });
});

// The typo search's distance takes shortcuts (a band around the diagonal, stopping early); whatever the words,
// it must say what the plain full table says: a swap of neighbours is one edit, and anything above `max` is max + 1.
describe('typo distance', () => {
  function plain(a: string, b: string): number {
    const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i <= a.length; i++)
      for (let j = 1; j <= b.length; j++) {
        d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
      }
    return d[a.length]![b.length]!;
  }
  const word = (max: number) => fc.stringOf(fc.constantFrom('a', 'b', 'c', 'o', 'r'), { maxLength: max });

  it('agrees with the full table for every pair of words and every bound', () => {
    fc.assert(
      fc.property(word(12), word(12), fc.integer({ min: 0, max: 3 }), (a, b, max) => {
        expect(distance(a, b, max)).toBe(Math.min(plain(a, b), max + 1));
      }),
      { numRuns: 3000 },
    );
  });

  it('handles words longer than the table it started with', () => {
    const long = 'spoorlaan'.repeat(10);
    expect(distance(long, long.slice(0, -1), 2)).toBe(1);
    expect(distance(long.replace('rl', 'lr'), long, 2)).toBe(1);
  });
});
