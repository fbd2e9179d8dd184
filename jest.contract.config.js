// `npm run test:contract` (docs/contract.md): the e2e suite and the OpenAPI fuzzer, every exchange
// of their test apps checked by Stoplight Prism against the dumped document.
const base = require('./jest.config.js');
const e2e = base.projects.find((p) => p.displayName === 'e2e');

module.exports = {
  testTimeout: 240_000,
  reporters: base.reporters,
  projects: [
    {
      ...e2e,
      displayName: 'contract',
      testMatch: [...e2e.testMatch, '<rootDir>/test/resilience/openapi-fuzz.spec.ts'],
      globalSetup: '<rootDir>/test/contract/global-setup.ts',
      globalTeardown: '<rootDir>/test/contract/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/contract/setup.ts'],
    },
  ],
};
