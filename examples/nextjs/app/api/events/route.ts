import { state } from '../../../lib/state';

export const dynamic = 'force-dynamic';

export function GET(): Response {
  return Response.json({ data: state().events.list() });
}
