import { createHmac, timingSafeEqual } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import * as otel from '@opentelemetry/api';
import {
  createOpenTelemetry,
  createReceiver,
  type DedupeStore,
  type JobStore,
  type Receiver,
} from '@ai-stats-webhooks/core';
import { compare, type Case, type CaseResult } from './harness.js';
import { SECRET, freshProgressDeliveries } from './deliveries.js';

/**
 * receiver.handle() with memory stores (schema validation, dedupe claim/commit, state machine,
 * dispatch) on fresh video.progress deliveries, against the hand-written minimum: HMAC + parse +
 * an lru-cache seen-set. The third case is the same receiver with `telemetry` on the real
 * `@opentelemetry/api` and no SDK registered (its no-op tracer and meter): compared with the
 * second, it is what telemetry costs when no provider is there (goal: within 3 %). The fourth
 * runs the pipeline with stores that keep nothing, for information: what the memory stores add.
 */
export async function receiverBench(quick: boolean): Promise<CaseResult[]> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const count = quick ? 20_000 : 50_000;
  const deliveries = freshProgressDeliveries(count, timestamp);
  // Each receiver has its own stores, so each sees every event id for the first time.
  const cases = [
    handWritten(deliveries),
    handleCase('receiver.handle() (memory stores)', deliveries, createReceiver({ secret: SECRET, logger: {} })),
    handleCase(
      'receiver.handle() with @opentelemetry/api installed, no SDK',
      deliveries,
      createReceiver({ secret: SECRET, logger: {}, telemetry: createOpenTelemetry(otel) }),
    ),
    handleCase(
      'receiver.handle() with stores that keep nothing',
      deliveries,
      createReceiver({ secret: SECRET, logger: {}, dedupe: keepNoClaims, jobs: keepNoJobs }),
    ),
  ];
  // Fewer operations than deliveries, so every handle() call sees a fresh event id.
  return compare(cases, { rounds: quick ? 3 : 15, roundMs: 60, warmupMs: quick ? 150 : 300, maxOperations: count });
}

function handleCase(name: string, deliveries: ReturnType<typeof freshProgressDeliveries>, receiver: Receiver): Case {
  receiver.onAny(() => undefined);
  let next = 0;
  return {
    name,
    run: async () => {
      const d = deliveries[next++ % deliveries.length]!;
      const response = await receiver.handle({ method: 'POST', headers: d.headers, rawBody: d.raw });
      if (response.status !== 200) throw new Error(`unexpected ${response.status} ${response.body}`);
    },
  };
}

// Stores that do no work (every claim granted, no job kept): the pipeline's own cost, for the row
// that shows what the memory stores add.
export const keepNoClaims: DedupeStore = {
  claim: () => ({ outcome: 'claimed', token: '1' }),
  commit: () => true,
  release: () => true,
};
export const keepNoJobs: JobStore = { get: () => undefined, update: (_id, apply) => apply(undefined), list: () => [] };

/**
 * The hand-written minimum every receiver row is compared with: timestamp window, HMAC, parse, an
 * lru-cache seen-set; over `deliveries` in order (fresh event ids while there are some left).
 */
export function handWritten(deliveries: ReturnType<typeof freshProgressDeliveries>): Case {
  const seen = new LRUCache<string, true>({ max: 1_000_000, ttl: 24 * 3600_000 });
  // One function per step, so that `node dist/profile.js hand-written` shows each.
  const verifyHmac = (d: (typeof deliveries)[number]): void => {
    const ts = d.headers['x-phaseo-timestamp']!;
    if (Math.abs(Date.now() / 1000 - Number(ts)) > 300) throw new Error('stale');
    const mac = createHmac('sha256', SECRET).update(`${ts}.`).update(d.raw).digest();
    if (!timingSafeEqual(mac, Buffer.from(d.headers['x-phaseo-signature']!, 'hex'))) throw new Error('bad');
  };
  const parseJson = (d: (typeof deliveries)[number]) => JSON.parse(d.raw.toString('utf8')) as { id: string };
  const firstSeen = (id: string): boolean => {
    if (seen.has(id)) return false;
    seen.set(id, true);
    return true;
  };
  let next = 0;
  return {
    name: 'hand-written HMAC + JSON.parse + lru-cache',
    run: () => {
      const d = deliveries[next++ % deliveries.length]!;
      verifyHmac(d);
      const event = parseJson(d);
      return firstSeen(event.id) ? event : 'duplicate';
    },
  };
}
