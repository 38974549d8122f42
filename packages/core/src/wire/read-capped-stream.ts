/**
 * The bytes of a web stream, read chunk by chunk and cut off past `maxBytes`: undefined when the
 * stream is longer (the rest is cancelled, never buffered). `signal` cancels the read. A stream that
 * fails rejects with its error. Used for request bodies on Workers, Bun and Deno (413 past the
 * limit) and for the Video API's answers.
 *
 * @example
 * ```ts
 * const bytes = await readCappedStream(request.body!, 1 << 20, signal);
 * if (bytes === undefined) throw tooLarge(1 << 20);
 * ```
 */
export async function readCappedStream(
  stream: ReadableStream<Uint8Array>,
  maxBytes: number,
  signal?: AbortSignal,
): Promise<Uint8Array | undefined> {
  const reader = stream.getReader();
  signal?.addEventListener('abort', () => void reader.cancel().catch(() => undefined), { once: true });
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return concat(chunks, size);
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
