import { isWebhookError } from '@ai-stats-webhooks/core';
import { createJob, state, toJson } from '../../../lib/state';

export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  return Response.json({ data: (await state().receiver.options.jobs.list()).map(toJson) });
}

export async function POST(request: Request): Promise<Response> {
  if (!state().api)
    return Response.json(
      { error: 'api_not_configured', message: 'Set AI_STATS_API_KEY to create jobs.' },
      { status: 503 },
    );
  const body = (await request.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  if (typeof body?.model !== 'string' || typeof body.prompt !== 'string') {
    return Response.json(
      { error: 'invalid_request', message: 'Expected a JSON body with string "model" and "prompt".' },
      { status: 400 },
    );
  }
  try {
    return Response.json(toJson(await createJob({ ...body, model: body.model, prompt: body.prompt })), { status: 201 });
  } catch (error) {
    const status = isWebhookError(error) && error.status < 500 ? 400 : 502;
    return Response.json(
      { error: isWebhookError(error) ? error.code : 'internal_error', message: (error as Error).message },
      { status },
    );
  }
}
