import { state, toJson } from '../../../../lib/state';

export const dynamic = 'force-dynamic';

export async function GET(_request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await context.params;
  const job = await (await state()).receiver.options.jobs.get(id);
  return job ? Response.json(toJson(job)) : Response.json({ error: 'not_found' }, { status: 404 });
}
