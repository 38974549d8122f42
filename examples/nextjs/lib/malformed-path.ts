/**
 * The answer to a path whose percent-encoding does not decode (`/api/jobs/%ZZ`): 404
 * `{ "error": "not_found" }`, as an id that is not a plain job id gets, instead of the 500 that
 * Next.js answers when it fails to decode a route parameter. `undefined` for every other path.
 * proxy.ts asks it after the admin check, so the answer says nothing to a caller without the token.
 *
 * @example
 * ```ts
 * malformedPathAnswer('/api/jobs/%ZZ')?.status; // 404
 * malformedPathAnswer('/api/jobs/G-1'); // undefined
 * ```
 */
export function malformedPathAnswer(pathname: string): Response | undefined {
  try {
    decodeURIComponent(pathname);
    return undefined;
  } catch {
    return Response.json({ error: 'not_found' }, { status: 404 });
  }
}
