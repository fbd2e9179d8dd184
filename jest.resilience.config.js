// `npm run test:resilience`: fuzzing, the access matrix, fault injection with real processes, load
// and secret-logging checks (docs/reliability.md). Separate from `npm test` because it needs a
// fresh `nest build` (the fault and load specs run dist/ as child processes) and takes minutes.
const base = require('./jest.config.js');
const e2e = base.projects.find((p) => p.displayName === 'e2e');

module.exports = {
  testTimeout: 240_000,
  projects: [
    {
      ...e2e,
      displayName: 'resilience',
      testMatch: ['<rootDir>/test/resilience/**/*.spec.ts'],
    },
  ],
};
