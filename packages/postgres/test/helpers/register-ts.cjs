/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS preload script */
// Lets a child process run the TypeScript sources directly (`node -r ./register-ts.cjs file.ts`):
// each .ts file is transpiled on load with TypeScript's transpileModule (no type check), and the
// @ai-stats-webhooks/* packages resolve to their src/ entries, as under Jest.
const Module = require('node:module');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const ts = require('typescript');

const packages = join(__dirname, '..', '..', '..');
const entries = {
  '@ai-stats-webhooks/core': join(packages, 'core', 'src', 'index.node.ts'),
  '@ai-stats-webhooks/postgres': join(packages, 'postgres', 'src', 'index.ts'),
};
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolve.call(this, entries[request] ?? request, ...rest);
};
require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(readFileSync(filename, 'utf8'), {
    fileName: filename,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  module._compile(outputText, filename);
};
