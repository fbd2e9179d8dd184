// Jest 30 loads NestJS 12's ESM-only packages through vm modules: the test script sets
// NODE_OPTIONS=--experimental-vm-modules (see docs/development.md).
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.json' }];
const moduleNameMapper = {
  '^src/(.*)$': '<rootDir>/src/$1',
  '^@helpdesk/common$': '<rootDir>/libs/common/src',
  '^@helpdesk/common/(.*)$': '<rootDir>/libs/common/src/$1',
  '^@helpdesk/testing$': '<rootDir>/test/support',
  '^@helpdesk/testing/(.*)$': '<rootDir>/test/support/$1',
};
const shared = { testEnvironment: 'node', transform: { '^.+\\.ts$': tsJest }, moduleNameMapper };

module.exports = {
  // Only read at the top level: inside a project entry it is ignored and e2e tests would run with
  // the 5 s default, failing on a busy machine.
  testTimeout: 60000,
  reporters: ['default', '<rootDir>/test/summary-reporter.js'],
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/src/**/*.spec.ts',
        '<rootDir>/libs/**/*.spec.ts',
        '<rootDir>/test/support/**/*.spec.ts',
      ],
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
    },
  ],
};
