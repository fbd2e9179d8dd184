#!/usr/bin/env bash
# npm run test:contract (docs/contract.md): the OpenAPI document is exact, checked by tools we did
# not write. 1. dump /docs-json (and check its own promises); 2. Redocly lint, 0 errors;
# 3. the e2e suite and the fuzzer with every exchange validated by Stoplight Prism.
# Extra arguments go to the last Jest run (e.g. one spec file).
set -euo pipefail
cd "$(dirname "$0")/.."
export CONTRACT_DOCUMENT="$PWD/var/contract/openapi.json"
export NODE_OPTIONS=--experimental-vm-modules
rm -f "$CONTRACT_DOCUMENT"
jest --runInBand test/contract/openapi-document.e2e-spec.ts --selectProjects e2e
redocly lint "$CONTRACT_DOCUMENT" --config redocly.yaml --format stylish
jest --config jest.contract.config.js --runInBand "$@"
