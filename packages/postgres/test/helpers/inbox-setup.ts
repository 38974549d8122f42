import { createReceiver, type Receiver, type ReceiverOptions, type ReceiverResponse } from '@ai-stats-webhooks/core';
import {
  createInboxWorker,
  createPostgresInbox,
  createPostgresStores,
  migrate,
  type InboxWorker,
  type InboxWorkerOptions,
  type PostgresDatabase,
  type PostgresInbox,
  type PostgresQueryable,
  type PostgresStores,
} from '@ai-stats-webhooks/postgres';
import { SECRET, event, sign, type WebhookFixture } from '../../../../test/helpers/deliveries';

/** One app instance in inbox mode: a receiver that enqueues, its stores and inbox, and workers on demand. */
export interface InboxInstance {
  readonly receiver: Receiver;
  readonly stores: PostgresStores;
  readonly inbox: PostgresInbox;
  /** Signs and hands a delivery to the receiver, as the sender would. */
  send(delivery: WebhookFixture): Promise<ReceiverResponse & { json: Record<string, unknown> }>;
  worker(options?: Partial<InboxWorkerOptions>): InboxWorker;
}

/** A test clock (epoch ms) that only moves when told. */
export interface TestClock {
  readonly now: () => number;
  advance(ms: number): void;
}

/**
 * A clock starting now.
 *
 * @example
 * ```ts
 * const clock = testClock(); clock.advance(10_000);
 * ```
 */
export function testClock(): TestClock {
  let t = Date.now();
  return { now: () => t, advance: (ms) => void (t += ms) };
}

let schemas = 0;

/**
 * A fresh schema on `dbs[0]` (migrated) and one instance per database handle (pg: one per pool).
 *
 * @example
 * ```ts
 * const { schema, instances } = await inboxInstances([pool1, pool2]);
 * ```
 */
export async function inboxInstances(
  dbs: readonly PostgresDatabase[],
  options: { readonly now?: () => number; readonly receiver?: Partial<ReceiverOptions> } = {},
): Promise<{ schema: string; instances: InboxInstance[] }> {
  const schema = `inbox_${Date.now().toString(36)}_${++schemas}`;
  await migrate(dbs[0]!, { schema });
  const instances = dbs.map((db) => inboxInstance(db, schema, options));
  return { schema, instances };
}

function inboxInstance(
  db: PostgresDatabase,
  schema: string,
  options: { readonly now?: () => number; readonly receiver?: Partial<ReceiverOptions> },
): InboxInstance {
  const stores = createPostgresStores({ db, schema });
  const inbox = createPostgresInbox({ db, schema, ...(options.now ? { now: options.now } : {}) });
  const receiver = createReceiver({ secret: SECRET, logger: {}, ...options.receiver, stores, inbox });
  return {
    receiver,
    stores,
    inbox,
    async send(delivery) {
      const signed = sign(delivery);
      const response = await receiver.handle({ method: 'POST', headers: signed.headers, rawBody: signed.body });
      return { ...response, json: JSON.parse(response.body) as Record<string, unknown> };
    },
    worker: (workerOptions = {}) =>
      createInboxWorker({ receiver, inbox, pollIntervalMs: 50, logger: {}, ...workerOptions }),
  };
}

/**
 * The deliveries of `jobs` video jobs: `perJob - 1` progress readings, then completed.
 *
 * @example
 * ```ts
 * const deliveries = videoDeliveries(40, 5); // 200
 * ```
 */
export function videoDeliveries(jobs: number, perJob: number, prefix = 'G-INBOX'): WebhookFixture[] {
  const out: WebhookFixture[] = [];
  for (let j = 0; j < jobs; j++) {
    const jobId = `${prefix}${String(j).padStart(4, '0')}`;
    for (let k = 1; k < perJob; k++) {
      const progress = Math.round((k * 90) / perJob);
      out.push(event('video.progress.50.json', { jobId, progress, key: `video.progress:${progress}` }));
    }
    out.push(event('video.completed.json', { jobId }));
  }
  return out;
}

/**
 * How many rows of `table` in `schema` match `where`.
 *
 * @example
 * ```ts
 * await count(db, schema, 'inbox', "status = 'done'");
 * ```
 */
export async function count(db: PostgresQueryable, schema: string, table: string, where = 'true'): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`select count(*)::int as n from "${schema}".${table} where ${where}`);
  return Number(rows[0]!.n);
}

/**
 * Waits until `check` resolves true, polling every 25 ms, at most `timeoutMs`.
 *
 * @example
 * ```ts
 * await until(async () => (await inbox.stats()).done === 200, 20_000);
 * ```
 */
export async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
