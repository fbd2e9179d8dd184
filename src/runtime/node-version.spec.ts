import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeVersionProblem, SUPPORTED_NODE } from './node-version';

describe('nodeVersionProblem', () => {
  it.each(['22.13.0', '22.22.1', '24.11.0', '24.21.0', '25.0.0', 'v26.1.0'])('accepts %s', (v) => {
    expect(nodeVersionProblem(v)).toBeUndefined();
  });

  it.each(['18.20.0', '20.19.0', '20.20.2', '22.12.0', '23.11.0', '24.10.0'])(
    'refuses %s in one line naming the versions needed',
    (v) => {
      const problem = nodeVersionProblem(v)!;
      expect(problem).toContain('^22.13.0 or >=24.11.0');
      expect(problem).toContain(v);
      expect(problem).not.toContain('\n');
    },
  );

  it('is what package.json engines says', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as {
      engines: { node: string };
    };
    expect(pkg.engines.node).toBe(SUPPORTED_NODE);
  });
});
