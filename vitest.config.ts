import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    // Tests spawn the built CLIs: build first, so that none runs against a stale dist/.
    globalSetup: ['test/global-setup.ts'],
    // End-to-end tests spawn CLIs and RSA_4096 key generation; give them room on a 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
