import { state } from '../../lib/state';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

// Prometheus text format; proxy.ts asks for ADMIN_TOKEN first when it is set.
export async function GET(): Promise<Response> {
  const { metrics } = await state();
  return new Response(await metrics.render(), { headers: { 'content-type': metrics.contentType } });
}
