import { createRouteHandler } from '@ai-stats-webhooks/next';
import { state } from '../../../../lib/state';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

// Route handlers receive the unread Request, so the raw bytes are verified as sent. Every method
// reaches the receiver, which answers 405 (Allow: POST) to anything but POST.
let handler: ReturnType<typeof createRouteHandler> | undefined;
async function handle(request: Request): Promise<Response> {
  handler ??= createRouteHandler((await state()).receiver);
  return handler(request);
}
export const POST = handle;
export const GET = handle;
export const PUT = handle;
export const PATCH = handle;
export const DELETE = handle;
// Exported, or Next.js answers OPTIONS itself (204) and the metrics never see it.
export const OPTIONS = handle;
