// `npm run mutate [group ...]`: mutation testing of the guard modules, one group at a time, each against only the
// proofs that stand for its promise (so a mutant costs one test file, not the whole suite). StrykerJS changes one
// small thing at a time; a change that no proof notices "survives". Prints a score per group and every survivor
// (file:line, what was changed), and writes the same to reports/mutation/summary.md. Not part of .ci/run: it
// takes long. Groups: see GROUPS below; without arguments all of them run.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Stryker } from '@stryker-mutator/core';

/**
 * @typedef {{ promise: string, mutate: string[], proofs: string[], coverageAnalysis?: 'perTest' | 'all' }} Group
 * promise: what is kept, as the README says it. coverageAnalysis 'all' for proofs whose tests build on each other
 * (per test, Stryker runs only the tests that reach a mutant: a later test that reads what an earlier one made is
 * then skipped, and a change only it would notice survives).
 */

// Line ranges point at the guard inside a larger file; tests/unit/mutateRanges.test.ts fails when a file moved under one.
/** @type {Record<string, Group>} */
const GROUPS = {
  search: {
    promise: 'plan search: ties offer a choice, nearer names first, swapped letters found',
    mutate: ['src/features/plans/search.ts'],
    proofs: ['tests/unit/plans.test.ts'],
  },
  visibility: {
    promise: 'who sees a dilemma (canSee)',
    mutate: ['src/features/dilemmas/service.ts:93-100'],
    proofs: ['tests/unit/dilemmas.test.ts'],
  },
  seats: {
    promise: 'seat allocation: sign-up, withdrawal, the waiting list',
    mutate: ['src/features/sessions/service.ts:215-339'],
    proofs: ['tests/integration/sessions.test.ts', 'tests/unit/sessions.test.ts'],
  },
  // The outbox in two groups: together they took about 50 minutes on 2 cores (every proof runs the worker), so
  // neither finished within a session's budget.
  outbox: {
    promise: 'the outbox: enqueue once, state changes by ETag',
    // enqueue and enqueueMany; change (by ETag) and its one exception (onlyMarkedQueued)
    mutate: ['src/proactive/outbox.ts:216-267', 'src/proactive/outbox.ts:417-443', 'src/proactive/outbox.ts:531-535'],
    proofs: ['tests/integration/outbox.test.ts'],
  },
  worker: {
    promise: 'the outbox worker: a row claimed once, a live lease respected',
    mutate: ['src/proactive/worker.ts:187-236'],
    proofs: ['tests/integration/outbox.test.ts'],
  },
  room: {
    promise: 'the core applies each route\'s audience; an unknown roster closes the room',
    mutate: ['src/core/guard.ts', 'src/core/room.ts'],
    proofs: ['tests/e2e/audience.test.ts'],
  },
  privacy: {
    promise: 'erasure leaves nothing of the person in any capability',
    mutate: ['src/core/privacy.ts'],
    // The walk holds erasure across capabilities; privacy.test.ts holds the routes (mijn gegevens, its link, the
    // confirmation, the secretariaat's erasure, retention).
    proofs: ['tests/e2e/privacyWalk.test.ts', 'tests/e2e/privacy.test.ts'],
  },
  audit: {
    promise: 'every secretariaat change leaves one logboek row',
    mutate: ['src/core/audit.ts'],
    proofs: ['tests/e2e/auditWalk.test.ts'],
    // The logboek test reads the rows the walk before it made.
    coverageAnalysis: 'all',
  },
  tenant: {
    promise: 'only allowed tenants are answered',
    mutate: ['src/bot.ts:97-102'],
    proofs: ['tests/e2e/authorization.test.ts'],
  },
};

const DETECTED = new Set(['Killed', 'Timeout']);
const COUNTED = new Set(['Killed', 'Timeout', 'Survived', 'NoCoverage']);

async function runGroup(base, name, group) {
  const jest = base.jest ?? {};
  const options = {
    ...base,
    // Stryker leaves out module-level mutants (ignoreStatic) only per test; with 'all' they are tested too.
    ...(group.coverageAnalysis === 'all' ? { coverageAnalysis: 'all', ignoreStatic: false } : {}),
    mutate: group.mutate,
    jest: { ...jest, config: { ...(jest.config ?? {}), testMatch: group.proofs.map((p) => `<rootDir>/${p}`) } },
    htmlReporter: { fileName: `reports/mutation/${name}.html` },
    // Each mutant's result as it is tested (reports/mutation/events/<group>/*-onMutantTested.json): a run stopped
    // early (a group that takes too long) still says what survived so far.
    eventReporter: { baseDir: `reports/mutation/events/${name}` },
    reporters: ['html', 'progress-append-only', 'event-recorder'],
  };
  return new Stryker(options).runMutationTest();
}

function lineOf(root, m) {
  return `${path.relative(root, m.fileName)}:${m.location.start.line}`;
}

async function main() {
  const root = process.cwd();
  const base = (await import(pathToFileURL(path.join(root, 'stryker.config.mjs')).href)).default;
  const asked = process.argv.slice(2);
  const unknown = asked.filter((a) => !(a in GROUPS));
  if (unknown.length) throw new Error(`unknown group(s): ${unknown.join(', ')}; known: ${Object.keys(GROUPS).join(', ')}`);
  const names = asked.length ? asked : Object.keys(GROUPS);

  const lines = ['| group | promise | mutants | detected | survived | no coverage | score |', '|---|---|---|---|---|---|---|'];
  const survivors = [];
  for (const name of names) {
    const group = GROUPS[name];
    const started = Date.now();
    const results = (await runGroup(base, name, group)).filter((m) => COUNTED.has(m.status));
    const detected = results.filter((m) => DETECTED.has(m.status)).length;
    const survived = results.filter((m) => m.status === 'Survived');
    const uncovered = results.filter((m) => m.status === 'NoCoverage');
    const score = results.length ? ((100 * detected) / results.length).toFixed(1) : '–';
    lines.push(`| ${name} | ${group.promise} | ${results.length} | ${detected} | ${survived.length} | ${uncovered.length} | ${score}% |`);
    for (const m of [...survived, ...uncovered]) survivors.push(`- ${name}: ${lineOf(root, m)} ${m.mutatorName} → \`${m.replacement ?? ''}\` (${m.status})`);
    console.log(`mutate ${name}: ${detected}/${results.length} detected (${score}%) in ${Math.round((Date.now() - started) / 1000)} s`);
  }
  const summary = [`# Mutation score, ${new Date().toISOString().slice(0, 10)}`, '', ...lines, '', '## Not detected', '', ...(survivors.length ? survivors : ['none']), ''].join('\n');
  mkdirSync(path.join(root, 'reports/mutation'), { recursive: true });
  writeFileSync(path.join(root, 'reports/mutation/summary.md'), summary);
  console.log('\n' + summary);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
