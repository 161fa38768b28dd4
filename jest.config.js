/** @type {import('jest').Config} */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  // The browser tests run on their own: npm run test:ui (jest.ui.config.js).
  testPathIgnorePatterns: ['/node_modules/', '/tests/ui/'],
  globalSetup: '<rootDir>/tests/helpers/globalSetup.ts',
  globalTeardown: '<rootDir>/tests/helpers/globalTeardown.ts',
  setupFiles: ['<rootDir>/tests/helpers/strictMessages.ts'],
  testTimeout: 30000,
  maxWorkers: 2,
};
