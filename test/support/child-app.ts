import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';

/**
 * Compiles the application (src/, libs/common/) and `entries` to plain CommonJS in `outDir`, so a
 * child process can boot it with `node` alone — no TypeScript compiler in its heap, which a heap
 * cap would otherwise mostly measure. Per-file transpilation (the project is `isolatedModules`),
 * no type check: `npm test` type-checks first.
 */
export function compileForChildProcess(root: string, outDir: string, entries: string[]): void {
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.CommonJS,
    target: ts.ScriptTarget.ES2023,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    esModuleInterop: true,
    useDefineForClassFields: false,
    isolatedModules: true,
  };
  const files = [...walk(join(root, 'src')), ...walk(join(root, 'libs/common/src')), ...entries];
  for (const file of files) {
    const target = join(outDir, relative(root, file));
    mkdirSync(dirname(target), { recursive: true });
    if (!file.endsWith('.ts')) {
      cpSync(file, target); // templates and other assets
      continue;
    }
    if (file.endsWith('.spec.ts')) continue;
    const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
      compilerOptions: options,
      fileName: file,
    });
    writeFileSync(target.replace(/\.ts$/, '.js'), outputText);
  }
  symlinkSync(join(root, 'node_modules'), join(outDir, 'node_modules'), 'dir');
  // The path aliases of tsconfig.json, for the compiled tree.
  writeFileSync(
    join(outDir, 'paths.js'),
    `const Module = require('node:module');
const path = require('node:path');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request.startsWith('src/')) request = path.join(__dirname, request);
  else if (request === '@helpdesk/common') request = path.join(__dirname, 'libs/common/src');
  else if (request.startsWith('@helpdesk/common/'))
    request = path.join(__dirname, 'libs/common/src', request.slice('@helpdesk/common/'.length));
  return resolve.call(this, request, ...rest);
};
`,
  );
}

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else yield path;
  }
}
