import { isWebhookError, parseCreateVideoRequest } from '@ai-stats-webhooks/core';
import { createJob, state, toJson } from '../../../lib/state';

export const dynamic = 'force-dynamic';

/** How many jobs `GET /api/jobs` answers without `?limit=`, and the most one page may hold. */
const JOB_LIST_LIMITS = Object.freeze({ default: 1000, max: 10_000 });

// The ?limit= values: the default when absent, else one integer from 1 to the max; else a message.
function readListLimit(values: string[]): { limit: number } | { message: string } {
  if (values.length === 0) return { limit: JOB_LIST_LIMITS.default };
  const raw = values.length === 1 ? values[0]! : undefined;
  const limit = raw !== undefined && /^\d{1,7}$/.test(raw) ? Number(raw) : Number.NaN;
  if (limit >= 1 && limit <= JOB_LIST_LIMITS.max) return { limit };
  const found = raw === undefined ? 'several values' : JSON.stringify(raw.slice(0, 40));
  return {
    message: `Expected limit to be an integer from 1 to ${JOB_LIST_LIMITS.max}, found ${found}. Fix: ask for one page of the newest jobs, e.g. /api/jobs?limit=${JOB_LIST_LIMITS.default} (the default).`,
  };
}

// One page of the newest jobs: ?limit=N (default 1000, at most 10,000), newest first.
export async function GET(request: Request): Promise<Response> {
  const read = readListLimit(new URL(request.url).searchParams.getAll('limit'));
  if ('message' in read) return Response.json({ error: 'invalid_request', message: read.message }, { status: 400 });
  const jobs = await (await state()).receiver.options.jobs.list({ limit: read.limit });
  return Response.json({ data: jobs.map(toJson) });
}

// Only the allowed creation fields are forwarded; the webhook comes from PUBLIC_WEBHOOK_URL.
export async function POST(request: Request): Promise<Response> {
  // JSON only: a form or text/plain POST needs no CORS preflight, so any web page could send one.
  const found = request.headers.get('content-type') ?? 'none';
  if (!/^application\/json\s*(;|$)/i.test(found)) {
    return Response.json(
      {
        error: 'unsupported_media_type',
        message: `Expected Content-Type: application/json, found ${found}. Send the job as JSON; a form or text/plain POST, which any web page can send, is refused.`,
      },
      { status: 415 },
    );
  }
  if (!(await state()).api)
    return Response.json(
      { error: 'api_not_configured', message: 'Set AI_STATS_API_KEY to create jobs.' },
      { status: 503 },
    );
  const parsed = parseCreateVideoRequest(await request.json().catch(() => undefined));
  if (!parsed.ok) return Response.json({ error: 'invalid_request', message: parsed.message }, { status: 400 });
  try {
    return Response.json(toJson(await createJob(parsed.value)), { status: 201 });
  } catch (error) {
    const status = isWebhookError(error) && error.status < 500 ? 400 : 502;
    return Response.json(
      { error: isWebhookError(error) ? error.code : 'internal_error', message: (error as Error).message },
      { status },
    );
  }
}
