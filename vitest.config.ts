import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    // Tests spawn the built CLIs: build first, so that none runs against a stale dist/.
    globalSetup: ['test/global-setup.ts'],
    // No time limit: end-to-end tests spawn CLIs, decode QR images and generate RSA_4096 keys on
    // a 2-core machine shared with other work, where any limit is a false failure under load.
    testTimeout: 0,
    hookTimeout: 0,
    pool: 'forks',
  },
});
