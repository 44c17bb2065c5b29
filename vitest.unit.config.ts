// Quick runs of tests that need no engine (no global setup): `npx vitest run -c vitest.unit.config.ts test/unit/x.test.ts`.
// `npm test` uses vitest.config.ts, which starts the private engines.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    exclude: ['test/bench/**', 'node_modules/**'],
    testTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
