import type { SenderView } from './sender-view.js';

/** The one-word health of a job, as the dashboard shows it. */
export type Verdict = 'generation_failed' | 'rejected_by_us' | 'delivery_failing' | 'recovered_by_polling' | 'healthy';

/** What each {@link Verdict} means, in words for the dashboard. */
export const VERDICT_LABELS: Readonly<Record<Verdict, string>> = Object.freeze({
  generation_failed: 'Generation failed (the provider failed the job)',
  rejected_by_us: 'Rejected by us (4xx: check the webhook secret)',
  delivery_failing: 'Delivery failing (our 5xx or timeouts; the sender retries)',
  recovered_by_polling: 'Recovered by polling (a webhook was missed)',
  healthy: 'Healthy',
});

/** One of our own answers to a verified delivery of the job. */
export interface VerdictDelivery {
  at: string;
  event_type: string | null;
  outcome: 'processed' | 'duplicate' | 'in_flight' | 'rejected' | 'failed';
  status: number;
}

/** What {@link jobVerdict} decides from. */
export interface VerdictInput {
  status: string;
  /** Where the job's last change came from: `webhook`, `reconcile`, `poll` or `create`. */
  source: string;
  updated_at: string;
  /** Our answers to the job's verified deliveries, oldest first. */
  deliveries: readonly VerdictDelivery[];
  /** The newest reading of the sender's own view, if any. */
  sender: SenderView | null;
  /** Milliseconds clock. */
  now: number;
  /** How long a state from a poll may wait for its webhook before it counts as missed. Default 5 s. */
  graceMs?: number;
}

/** Defaults of {@link jobVerdict}. */
export const JOB_VERDICT_DEFAULTS = Object.freeze({ graceMs: 5_000 });

const TRANSIENT = new Set([408, 409, 429]);
const ok = (d: VerdictDelivery) => d.outcome === 'processed' || d.outcome === 'duplicate';

type Failure = { kind: 'rejected' | 'failing'; at: string };

// Times are compared as instants: the sender writes ISO texts of its own (`…00Z` or `…00.500Z`).
const time = (iso: string): number => Date.parse(iso);

// A 4xx other than 408/409/429 is a rejection (typically a 401: secret drift); the rest is failing.
const failureOf = (status: number | null): Failure['kind'] =>
  status !== null && status >= 400 && status < 500 && !TRANSIENT.has(status) ? 'rejected' : 'failing';

/**
 * The sender's last attempt as the sender reports it, unless a success of ours came after what the
 * reading knows. A payload's reading is captured before the attempt that carries it: a success of
 * ours after its last attempt clears it. A reading from the API (poll, reconcile) already counts
 * every attempt the sender finished: only a success of ours after the reading clears it, so our
 * 200 that reached the sender after it gave up (a timeout) does not hide the failure.
 */
function senderFailure(input: VerdictInput): Failure | undefined {
  const s = input.sender;
  if (!s || !s.last_attempt_status || s.last_attempt_status === 'delivered') return undefined;
  const at = s.last_attempt_at ?? s.read_at;
  const lastOk = input.deliveries.filter(ok).at(-1);
  if (lastOk && time(lastOk.at) > time(s.source === 'webhook' ? at : s.read_at)) return undefined;
  return { kind: failureOf(s.last_response_status), at };
}

/** Our last answer to a verified delivery of the job, when it was not a success (409s aside). */
function ourFailure(input: VerdictInput): Failure | undefined {
  const last = input.deliveries.filter((d) => d.outcome !== 'in_flight').at(-1);
  return last && !ok(last) ? { kind: failureOf(last.status), at: last.at } : undefined;
}

/** The newer of the two failure signals, if any. */
function latestFailure(input: VerdictInput): Failure['kind'] | undefined {
  const ours = ourFailure(input);
  const sender = senderFailure(input);
  if (ours && sender) return time(ours.at) >= time(sender.at) ? ours.kind : sender.kind;
  return (ours ?? sender)?.kind;
}

/** True when a verified webhook told us about the job's current status. */
function sawWebhookFor(input: VerdictInput): boolean {
  const seen = input.deliveries.filter(ok);
  if (input.status === 'queued' || input.status === 'processing') return seen.length > 0;
  const phase = input.status === 'expired' ? ['.expired', '.failed'] : [`.${input.status}`];
  return seen.some((d) => phase.some((p) => d.event_type?.endsWith(p)));
}

function missedWebhook(input: VerdictInput): boolean {
  if (input.sender && !input.sender.configured) return false; // polling only, by design
  if (input.source !== 'poll' && input.source !== 'reconcile') return false;
  const waited = input.now - Date.parse(input.updated_at);
  return waited >= (input.graceMs ?? JOB_VERDICT_DEFAULTS.graceMs) && !sawWebhookFor(input);
}

/**
 * The verdict of one job, first match wins:
 * 1. `generation_failed`: the job is `failed` or `expired` (the provider's failure, not ours);
 * 2. `rejected_by_us`: the newest failure signal, our last answer to a verified delivery or the
 *    sender's last attempt as the sender reports it (`webhook.delivery`), was a 4xx other than
 *    408/409/429 (typically a 401: secret drift);
 * 3. `delivery_failing`: the same signal was a 5xx, a 408/409/429 or no answer (the sender retries);
 * 4. `recovered_by_polling`: the state came from a poll or a reconciliation at least `graceMs` ago
 *    and no verified webhook for that state arrived (a missed or dropped webhook);
 * 5. `healthy`.
 * A later successful answer of ours clears a failure the sender reported earlier: one after the
 * failed attempt for a reading from a payload, one after the reading for a reading from the API
 * (a timeout: the sender, read after our 200, still reports the attempt failed). Pure.
 *
 * @example
 * ```ts
 * jobVerdict({ status: 'completed', source: 'webhook', updated_at, deliveries, sender: null, now: Date.now() }); // 'healthy'
 * ```
 */
export function jobVerdict(input: VerdictInput): Verdict {
  if (input.status === 'failed' || input.status === 'expired') return 'generation_failed';
  const failure = latestFailure(input);
  if (failure === 'rejected') return 'rejected_by_us';
  if (failure === 'failing') return 'delivery_failing';
  if (missedWebhook(input)) return 'recovered_by_polling';
  return 'healthy';
}
