// `npm run test:ui`: the console and the portal in Debian's Chromium (playwright-core), against
// the in-process app on this run's own database (test/global-setup.ts). Not part of `npm test`,
// which must not need a browser; `.ci/run` runs it after `scripts/browser.sh`.
const base = require('./jest.config.js');
const e2e = base.projects.find((p) => p.displayName === 'e2e');

module.exports = {
  testTimeout: 120_000,
  projects: [{ ...e2e, displayName: 'ui', testMatch: ['<rootDir>/test/ui/**/*.ui-spec.ts'] }],
};
