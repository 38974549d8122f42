import { createInboxWorker, type InboxWorker } from '@ai-stats-webhooks/postgres';
import { createAppReceiver } from './app-receiver';
import type { Env } from './read-env';
import type { Stores } from './stores';

/**
 * PROCESSING=inbox: starts the worker that runs the handlers of the deliveries the webhook route
 * stored (claim with a lease, settle, handlers, commit in one transaction; retries with backoff,
 * dead letters after 10 attempts). On SIGTERM it stops claiming; Next.js then exits, and an event
 * still running rolls back and is taken over once its 30 s lease ends.
 *
 * @example
 * ```ts
 * if (env.processing === 'inbox') await startInboxWorker(env, stores);
 * ```
 */
export async function startInboxWorker(env: Env, stores: Stores): Promise<InboxWorker> {
  if (!stores.inbox) throw new Error('PROCESSING=inbox needs the embedded database or DATABASE_URL.');
  const { receiver } = createAppReceiver(env, stores);
  const worker = createInboxWorker({ receiver, inbox: stores.inbox });
  await worker.start();
  process.once('SIGTERM', () => void worker.stop());
  return worker;
}
