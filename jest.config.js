// Jest 30 loads NestJS 12's ESM-only packages through vm modules: the test script sets
// NODE_OPTIONS=--experimental-vm-modules (see docs/development.md).
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.json' }];
const moduleNameMapper = {
  '^src/(.*)$': '<rootDir>/src/$1',
  '^@helpdesk/common$': '<rootDir>/libs/common/src',
  '^@helpdesk/common/(.*)$': '<rootDir>/libs/common/src/$1',
  '^@helpdesk/testing$': '<rootDir>/libs/testing/src',
  '^@helpdesk/testing/(.*)$': '<rootDir>/libs/testing/src/$1',
};
const shared = { testEnvironment: 'node', transform: { '^.+\\.ts$': tsJest }, moduleNameMapper };

module.exports = {
  // Jest reads testTimeout from the global config only (a project's own value is ignored), so the
  // e2e allowance lives here: argon2 sign-ins on a busy CI machine outlast the 5 s default.
  testTimeout: 60000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/libs/**/*.spec.ts'],
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
