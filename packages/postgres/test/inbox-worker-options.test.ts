import { WebhookError, createReceiver } from '@ai-stats-webhooks/core';
import {
  INBOX_WORKER_DEFAULTS,
  createInboxWorker,
  createPostgresInbox,
  createPostgresStores,
  retryDelayMs,
  type InboxWorkerOptions,
  type PostgresDriver,
} from '@ai-stats-webhooks/postgres';
import { Pool } from 'pg';
import { describeFailure } from '../src/inbox/describe-failure';

// A driver that is never called: construction only validates.
const driver: PostgresDriver = {
  kind: 'pg',
  query: () => Promise.reject(new Error('not connected')),
  transaction: () => Promise.reject(new Error('not connected')),
};
const stores = createPostgresStores({ db: driver });
const receiver = createReceiver({ secret: 'whsec_test', logger: {}, stores });

describe('retryDelayMs', () => {
  it('doubles from baseMs up to maxMs, takes up to half off at random, and honours Retry-After', () => {
    const backoff = INBOX_WORKER_DEFAULTS.backoff;
    const ceilings = Array.from({ length: 10 }, (_, i) => retryDelayMs(i + 1, backoff, () => 1));
    expect(ceilings).toEqual([
      10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 640_000, 1_280_000, 2_560_000, 3_600_000,
    ]);
    expect(retryDelayMs(1, backoff, () => 0)).toBe(5_000); // the first retry: 5–10 s
    expect(retryDelayMs(3, backoff, () => 0.5)).toBe(30_000);
    expect(retryDelayMs(1, backoff, () => 0, 12_000)).toBe(12_000);
    expect(retryDelayMs(500, backoff, () => 1)).toBe(3_600_000);
    const total = ceilings.slice(0, 9).reduce((a, b) => a + b, 0); // 9 waits between 10 attempts
    console.log(
      `default retry schedule: ${Math.round(total / 2 / 60_000)}–${Math.round(total / 60_000)} min to the 10th attempt`,
    );
  });
});

describe('describeFailure', () => {
  it('keeps the error and its causes, with every URL credential removed', () => {
    const cause = new Error('GET https://key:s3cret@api.example/v1 failed');
    const error = new WebhookError('handler_failed', 'Expected the handler to succeed', { cause });
    expect(describeFailure(error)).toBe(
      'WebhookError[handler_failed]: Expected the handler to succeed ← Error: GET https://***@api.example/v1 failed',
    );
    expect(describeFailure('plain')).toBe('plain');
    expect(describeFailure(new Error('x'.repeat(5_000)))).toHaveLength(2_000);
  });
});

describe('createInboxWorker options', () => {
  it('takes the database and schema from the receiver stores when no inbox is given', () => {
    const worker = createInboxWorker({ receiver });
    expect(worker.running).toBe(false);
    expect(worker.counts).toMatchObject({ processed: 0, retry: 0, dead: 0 });
  });

  it.each<[string, Partial<InboxWorkerOptions>, string]>([
    ['receiver', { receiver: {} as never }, 'receiver'],
    ['stores', { receiver: createReceiver({ secret: 'whsec_test', logger: {} }) }, 'stores'],
    ['inbox schema', { inbox: createPostgresInbox({ db: driver, schema: 'other' }) }, 'inbox'],
    ['concurrency', { concurrency: 0 }, 'concurrency'],
    ['leaseMs', { leaseMs: 5 }, 'leaseMs'],
    ['maxAttempts', { maxAttempts: 1.5 }, 'maxAttempts'],
    ['backoff.maxMs', { backoff: { baseMs: 10_000, maxMs: 1_000 } }, 'backoff.maxMs'],
    ['pollIntervalMs', { pollIntervalMs: -1 }, 'pollIntervalMs'],
    ['now', { now: 5 as never }, 'now'],
  ])('refuses a bad %s, naming the option', (_, bad, option) => {
    expect(() => createInboxWorker({ receiver, ...bad })).toThrow(
      expect.objectContaining({ code: 'invalid_option', details: { option } }),
    );
  });

  it('refuses a pg Pool of one connection for a worker that listens (the LISTEN would hold it for good)', async () => {
    const pool = (max: number) => new Pool({ host: '127.0.0.1', port: 9, max }); // never connected
    const on = (db: Pool) => createReceiver({ secret: 'whsec_test', logger: {}, stores: createPostgresStores({ db }) });
    const one = pool(1);
    expect(() => createInboxWorker({ receiver: on(one) })).toThrow(
      expect.objectContaining({ code: 'invalid_option', details: { option: 'db' } }),
    );
    expect(() => createInboxWorker({ receiver: on(one) })).toThrow(/at least 2 connections .* found max: 1\. Fix: /);
    expect(() => createInboxWorker({ receiver: on(one), listen: false })).not.toThrow();
    expect(() => createInboxWorker({ receiver: on(pool(2)) })).not.toThrow();
    await one.end();
  });
});
