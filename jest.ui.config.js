/** @type {import('jest').Config} */
// The browser tests (tests/ui): Chromium against the Agents Playground and the bot. `npm run test:ui` runs
// them one file at a time; `npm test` leaves them out (jest.config.js).
const base = require('./jest.config.js');

module.exports = {
  ...base,
  testPathIgnorePatterns: ['/node_modules/'],
  testMatch: ['<rootDir>/tests/ui/**/*.ui.test.ts'],
  testTimeout: 120000,
  maxWorkers: 1,
};
