import { isPlainJobId } from '@ai-stats-webhooks/core';
import { state, toJson } from '../../../../lib/state';

export const dynamic = 'force-dynamic';

// An id that is not a plain job id (a NUL byte, `/`, `%`, …) names no job: 404 without asking the
// store (PostgreSQL refuses a NUL byte in text, which would be a 500).
export async function GET(_request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await context.params;
  const job = isPlainJobId(id) ? await (await state()).receiver.options.jobs.get(id) : undefined;
  return job ? Response.json(toJson(job)) : Response.json({ error: 'not_found' }, { status: 404 });
}
