import { state } from '../../../lib/state';

export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  return Response.json({ data: await (await state()).events.list() });
}
