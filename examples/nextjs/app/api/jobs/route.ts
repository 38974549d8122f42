import { isWebhookError, parseCreateVideoRequest } from '@ai-stats-webhooks/core';
import { createJob, state, toJson } from '../../../lib/state';

export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  return Response.json({ data: (await (await state()).receiver.options.jobs.list()).map(toJson) });
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
