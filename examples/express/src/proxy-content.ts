import { Readable, Transform } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { pipeline } from 'node:stream/promises';
import type { Response as ExpressResponse } from 'express';

// Media types passed through as they are; anything else (text/html, say) is sent as a download.
const MEDIA_TYPE = /^(video|audio|image)\/[\w.+-]+$/i;

/** Stops a stream with an error once more than `maxBytes` went through it. */
function byteCap(maxBytes: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen <= maxBytes) done(null, chunk);
      else done(new Error(`Expected at most ${maxBytes} bytes of video, found more; the download was cut.`));
    },
  });
}

/**
 * Streams the body of `GET /videos/{id}/content` to the client chunk by chunk, never buffering the
 * whole video. A declared `Content-Length` above `maxBytes` answers 502 before anything is sent;
 * an undeclared body is cut (the connection closed) once it passes `maxBytes`, and the returned
 * promise rejects.
 *
 * @example
 * ```ts
 * await proxyContent(await api.getContent(job.id), res, 512 * 1024 * 1024);
 * ```
 */
export async function proxyContent(upstream: Response, res: ExpressResponse, maxBytes: number): Promise<void> {
  const declared = Number(upstream.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    await upstream.body?.cancel().catch(() => undefined);
    res.status(502).json({
      error: 'content_too_large',
      message: `Expected a video of at most ${maxBytes} bytes, found Content-Length ${declared}. Fix: raise CONTENT_MAX_BYTES, or download it from the Video API directly.`,
    });
    return;
  }
  const type = upstream.headers.get('content-type') ?? '';
  res.status(200).set({
    'content-type': MEDIA_TYPE.test(type) ? type : 'application/octet-stream',
    'cache-control': 'private, no-store',
    'x-content-type-options': 'nosniff',
    ...(Number.isInteger(declared) ? { 'content-length': String(declared) } : {}),
  });
  if (!upstream.body) return void res.end();
  await pipeline(Readable.fromWeb(upstream.body as NodeReadableStream<Uint8Array>), byteCap(maxBytes), res);
}
