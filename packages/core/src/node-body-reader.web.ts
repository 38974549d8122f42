import type { BodyReader } from './accept-request';
import type { NodeIncomingRequest } from './node-body-reader';
import { WebhookError } from './webhook-error';

export type { NodeIncomingRequest } from './node-body-reader';

// The edge build has no Node streams (and does not bundle raw-body): hand over a Request instead.
export function nodeBodyReader(_req: NodeIncomingRequest): BodyReader {
  return () =>
    Promise.reject(
      new WebhookError(
        'invalid_option',
        'Expected a Node.js request stream, but this is the edge build of @ai-stats-webhooks/core. Pass a Request (fetch adapter) instead.',
      ),
    );
}
