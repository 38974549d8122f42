// The runtimes section's library case, as a Worker-style module that workerd, Deno and Bun all
// serve: @ai-stats-webhooks/fetch's handler with its defaults (memory stores), built on the first
// request from the secret it is given (a Worker binding on workerd, the serve wrapper elsewhere).
import { createFetchHandler, type FetchWebhookHandler } from '@ai-stats-webhooks/fetch';

let handler: FetchWebhookHandler | undefined;

export default {
  fetch(request: Request, env: { WEBHOOK_SECRET: string }): Promise<Response> {
    handler ??= createFetchHandler({ secret: env.WEBHOOK_SECRET, logger: {} });
    return handler(request);
  },
};
