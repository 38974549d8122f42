/** One Jest run for every package: unit tests against the TypeScript sources, integration and
 * end-to-end tests (test/) against real servers and the built example apps. */
const tsJest = [
  'ts-jest',
  {
    tsconfig: {
      module: 'CommonJS',
      moduleResolution: 'Node10',
      target: 'ES2022',
      esModuleInterop: true,
      isolatedModules: true,
      resolveJsonModule: true,
    },
  },
];

const moduleNameMapper = {
  // core has one entry per runtime (index.node.ts, index.web.ts); Jest runs on Node.
  '^@ai-stats-webhooks/core$': '<rootDir>/packages/core/src/index.node.ts',
  '^@ai-stats-webhooks/(express|fetch|next|testing|redis|postgres|prometheus)$': '<rootDir>/packages/$1/src/index.ts',
  // ESM sources (the examples) import their siblings as './x.js'; Jest resolves the './x' source.
  '^(\\.{1,2}/.+)\\.js$': '$1',
};

const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.tsx?$': tsJest },
  moduleNameMapper,
};

module.exports = {
  // A global option (a project's own testTimeout is not applied): the default of every test and hook
  // without one, such as an afterAll that stops an example app (SIGTERM, then SIGKILL after 5 s).
  testTimeout: 30_000,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/packages/*/test/**/*.test.ts'] },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
    },
  ],
};
