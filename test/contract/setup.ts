// Fails the running test when Prism found its exchanges at odds with the OpenAPI document
// (libs/testing/src/contract-proxy.ts decides which verdicts count; docs/contract.md).
import { takeContractViolations } from '../support/contract-proxy';

function assertNoViolations(): void {
  const violations = takeContractViolations();
  if (violations.length) {
    throw new Error(`disagrees with the OpenAPI document:\n  ${violations.join('\n  ')}`);
  }
}

afterEach(assertNoViolations);
// Event streams are checked when they close, which may be after their test.
afterAll(assertNoViolations);
