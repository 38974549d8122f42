import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Answers with a JSON body, as the mock Video API does on every route but content.
 *
 * @example
 * ```ts
 * json(res, 404, { error: 'not_found', reason: 'video_not_found_or_not_owned', message: 'Video not found.' });
 * ```
 */
export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/**
 * Reads a request body as JSON: undefined when it is not JSON or is larger than 1 MB.
 *
 * @example
 * ```ts
 * const body = (await readJson(req)) as { model?: unknown } | undefined;
 * ```
 */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 1_000_000) return undefined;
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}
