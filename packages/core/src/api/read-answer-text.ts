import { readCappedStream } from '../wire/read-capped-stream';

/**
 * The text of an API answer, cut off past `maxBytes`: undefined when the body is longer (the rest
 * is cancelled, never buffered), so a broken or hostile upstream cannot make the receiver hold a
 * body of any size in memory. A stream that fails rejects with its error.
 *
 * @example
 * ```ts
 * const text = await readAnswerText(response, 4 << 20);
 * if (text === undefined) throw new Error('the answer is longer than 4 MiB');
 * ```
 */
export async function readAnswerText(response: Response, maxBytes: number): Promise<string | undefined> {
  if (response.body === null) return '';
  const bytes = await readCappedStream(response.body, maxBytes);
  return bytes === undefined ? undefined : new TextDecoder().decode(bytes);
}
