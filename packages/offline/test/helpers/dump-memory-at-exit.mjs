// Preloaded (node --import) into a byok-offline child by the no-plaintext test: when the process
// exits, every readable and writable mapping of its memory (heaps, stacks, the token library's
// data) is copied from /proc/self/mem to the file BYOK_TEST_MEMORY_DUMP names, for the test to
// search once it has learnt the material. Tests only.
import { closeSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';

const out = process.env.BYOK_TEST_MEMORY_DUMP;
if (out !== undefined)
  process.on('exit', () => {
    const mem = openSync('/proc/self/mem', 'r');
    const fd = openSync(out, 'w');
    const chunk = Buffer.alloc(1 << 20);
    for (const line of readFileSync('/proc/self/maps', 'utf8').split('\n')) {
      const m = /^([0-9a-f]+)-([0-9a-f]+) rw/.exec(line);
      if (m === null || line.includes(out)) continue;
      const end = parseInt(m[2], 16);
      for (let at = parseInt(m[1], 16); at < end; at += chunk.length) {
        let read;
        try {
          read = readSync(mem, chunk, 0, Math.min(chunk.length, end - at), at);
        } catch {
          break;
        }
        writeSync(fd, chunk, 0, read);
      }
    }
    closeSync(fd);
    closeSync(mem);
  });
