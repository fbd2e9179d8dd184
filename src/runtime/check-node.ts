// Imported first by every entry point (main, migrate): stops with one line on an unsupported
// Node before a native module can crash the process.
import { nodeVersionProblem } from './node-version';

const problem = nodeVersionProblem(process.versions.node);
if (problem) {
  console.error(problem);
  process.exit(1);
}
