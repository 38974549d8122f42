import { createRouteHandler } from '@ai-stats-webhooks/next';
import { state } from '../../../../lib/state';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

// Route handlers receive the unread Request, so the raw bytes are verified as sent.
let handler: ReturnType<typeof createRouteHandler> | undefined;
export function POST(request: Request): Promise<Response> {
  handler ??= createRouteHandler(state().receiver);
  return handler(request);
}
