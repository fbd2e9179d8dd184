import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './app-config';

const root = join(__dirname, '../..');

/**
 * Every variable loadConfig reads: the upper-case string literal each of its helpers (`read`,
 * `int`, `bool`, `url`, `oneOf` …) is called with. Read from the source, so a variable added
 * later is covered without anyone remembering this list.
 */
function configVariables(): string[] {
  const source = readFileSync(join(__dirname, 'app-config.ts'), 'utf8');
  const body = source.slice(source.indexOf('export function loadConfig'));
  const names = [...body.matchAll(/\b[a-z]\w*(?:<[^>]*>)?\(\s*'([A-Z][A-Z0-9_]+)'/g)].map(
    (m) => m[1],
  );
  return [...new Set(names)].sort();
}

describe('configuration variables', () => {
  const variables = configVariables();

  it('finds the variables loadConfig reads', () => {
    expect(variables).toEqual(expect.arrayContaining(['PORT', 'LOG_LEVEL', 'WEBHOOK_SECRET_KEY']));
    expect(variables.length).toBeGreaterThan(30);
  });

  it('lists every one in the README configuration table', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const documented = new Set(
      readme
        .split('\n')
        .filter((line) => line.startsWith('| `'))
        .flatMap((line) =>
          [...line.split('|')[1].matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]),
        ),
    );
    expect(variables.filter((name) => !documented.has(name))).toEqual([]);
  });

  it('lists every one in .env.example', () => {
    const example = readFileSync(join(root, '.env.example'), 'utf8');
    const listed = new Set([...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
    expect(variables.filter((name) => !listed.has(name))).toEqual([]);
  });

  it('answers every variable, whatever its value, with a config or a ConfigError naming it', () => {
    const garbage = ['loud', '-1', '1e400', '0x10', 'true false', '::', '\u0000', 'é'.repeat(300)];
    for (const name of variables) {
      for (const value of garbage) {
        try {
          loadConfig({ [name]: value });
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
          const { message, problems } = error as ConfigError;
          const lines = message.split('\n');
          expect(lines).toHaveLength(problems.length);
          for (const line of lines)
            expect(line).toMatch(/^Invalid configuration: [A-Z][A-Z0-9_]* /);
          expect(message).toContain(name);
        }
      }
    }
  });
});
