/**
 * age-encryption collects its output through `new Response(stream)`, a network global that
 * byok-offline removes at start; so the ops hand it streams and collect the bytes here.
 */
export function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
}

/** Every chunk of a stream in one array; the chunks are zeroed (they may hold plaintext). */
export async function bytesOf(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
    }
    const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  } finally {
    for (const c of chunks) c.fill(0);
    reader.releaseLock();
  }
}
