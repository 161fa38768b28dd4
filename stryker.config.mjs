// Mutation testing of the guard modules (npm run mutate): StrykerJS changes one small thing at a time in the
// code that keeps BO Wonen's promises and runs the proofs; a change no test notices is a surviving mutant.
// Not part of .ci/run (it takes long); a habit after changing a guard. Line ranges point at the guard inside
// a larger file: check them when that file moves.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    configFile: 'jest.mutate.config.js',
    // Only the proofs of these modules (in-process: no child processes, no Playground).
    config: {
      testMatch: [
        '**/tests/unit/plans.test.ts',
        '**/tests/unit/dilemmas.test.ts',
        '**/tests/unit/sessions.test.ts',
        '**/tests/integration/sessions.test.ts',
        '**/tests/e2e/audience.test.ts',
        '**/tests/e2e/auditWalk.test.ts',
        '**/tests/e2e/privacyWalk.test.ts',
        '**/tests/e2e/privacy.test.ts',
        '**/tests/e2e/authorization.test.ts',
        '**/tests/integration/outbox.test.ts',
      ],
      maxWorkers: 1,
    },
    enableFindRelatedTests: false,
  },
  mutate: [
    'src/core/guard.ts',
    'src/core/room.ts',
    'src/core/privacy.ts',
    'src/core/audit.ts',
    'src/features/plans/search.ts',
    // canSee: who may see a dilemma
    'src/features/dilemmas/service.ts:93-100',
    // seat allocation: sign-up, withdrawal, the waiting list
    'src/features/sessions/service.ts:215-339',
    // the outbox: enqueue once, notify before "done", state changes by ETag
    'src/proactive/outbox.ts:216-267',
    'src/proactive/outbox.ts:417-443',
    'src/proactive/outbox.ts:531-535',
    // the worker's claim and lease
    'src/proactive/worker.ts:187-236',
    // the tenant gate
    'src/bot.ts:97-102',
  ],
  coverageAnalysis: 'perTest',
  // Module-level constants (messages, limits) would rerun every proof for each change; their behaviour is held
  // by the proofs of the functions that use them.
  ignoreStatic: true,
  concurrency: 1,
  // On top of 1.5 × the proof's own time: a mutant that hangs (a loop that never ends) is counted as detected
  // after this, instead of holding the run a minute each.
  timeoutMS: 20_000,
  reporters: ['clear-text', 'progress', 'html'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
