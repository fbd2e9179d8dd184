/**
 * The Node.js versions every runtime dependency accepts (typeorm: ^22.13 || >=24.11; file-type and
 * others: >=22; NestJS 12 needs require(esm)). package.json `engines` says the same (a unit spec
 * checks). On Node 20, argon2's native binary crashes the process with a segfault on load, so this
 * is checked before anything else is required.
 */
export const SUPPORTED_NODE = '^22.13.0 || >=24.11.0';

/** One line saying which Node is needed, or undefined when `version` (e.g. "20.20.2") will do. */
export function nodeVersionProblem(version: string): string | undefined {
  const [major, minor] = version.replace(/^v/, '').split('.').map(Number);
  const supported = (major === 22 && minor >= 13) || (major === 24 && minor >= 11) || major > 24;
  if (supported) return undefined;
  return (
    `Helpdesk needs Node.js ${SUPPORTED_NODE.replace(' || ', ' or ')}, not ${version}: ` +
    'use `npm start` (it runs the pinned Node 24 from node_modules/.bin) or install Node 24 LTS.'
  );
}
