import { defineConfig } from 'vitest/config';
import LongestFirstSequencer from './test/longest-first-sequencer.js';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    // Tests spawn the built CLIs: build first, so that none runs against a stale dist/.
    globalSetup: ['test/global-setup.ts'],
    // The workspace packages' built output (what a package imports as @byok-ceremony/…) is
    // loaded by Node itself, as node_modules are: through vite's module runner each of its
    // few hundred modules cost a round trip to the main process in every test file, which came
    // to about a fifth of the suite's time (docs/performance.md, "The test suite"). Sources a
    // test imports as ../src/… still go through the runner. So vi.mock of a workspace package
    // reaches what the runner loads (the test and the sources it imports), not the imports one
    // package's dist/ makes of another's.
    server: { deps: { external: [/\/packages\/[^/]+\/dist\//] } },
    // No time limit: end-to-end tests spawn CLIs, decode QR images and generate RSA_4096 keys on
    // a 2-core machine shared with other work, where any limit is a false failure under load.
    testTimeout: 0,
    hookTimeout: 0,
    pool: 'forks',
    // Files run side by side, each in a process of its own (forks isolate process.env, umask and
    // the in-process byok-online), every end-to-end file against its own simulator on port 0 and
    // in its own temp folders. Three workers on two cores: the end-to-end files spend some of
    // their time waiting on the CLIs they spawn (and those on the simulator), so more files than
    // cores keep both busy while some wait, where vitest's default here (cores - 1) ran one file
    // at a time. Four were the setting while each file spent longer loading its modules; on the
    // quiet machine three then took 302 s and 571 s of CPU where four took 311 s and 588 s
    // (docs/performance.md, "The test suite").
    maxWorkers: 3,
    // The longest files first, also on a fresh clone (test/longest-first-sequencer.ts).
    sequence: { sequencer: LongestFirstSequencer },
  },
});
