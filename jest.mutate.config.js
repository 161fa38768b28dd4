// The jest set-up `npm run mutate` uses (stryker.config.mjs): the proofs of the guard modules only, compiled
// without type checks (npm test checks types) and with one Azurite kept for all mutants.
const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  preset: undefined,
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true }] },
  globalSetup: '<rootDir>/tests/helpers/mutateSetup.ts',
  globalTeardown: undefined,
  maxWorkers: 1,
};
