/**
 * The text of an API answer, read as a stream and cut off past `maxBytes`: undefined when the body
 * is longer (the rest is cancelled, never buffered), so a broken or hostile upstream cannot make
 * the receiver hold a body of any size in memory. A stream that fails rejects with its error.
 *
 * @example
 * ```ts
 * const text = await readAnswerText(response, 4 << 20);
 * if (text === undefined) throw new Error("the answer is longer than 4 MiB");
 * ```
 */
export async function readAnswerText(response: Response, maxBytes: number): Promise<string | undefined> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.byteLength;
    if (length > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return decodeUtf8(chunks, length);
}

function decodeUtf8(chunks: readonly Uint8Array[], length: number): string {
  if (chunks.length === 1) return new TextDecoder().decode(chunks[0]);
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}
