import type { DeliveryReport } from '@ai-stats-webhooks/core';

/** Receiver-side delivery health, per job and in total: what the recipe's monitoring asks for. */
export interface DeliveryStats {
  received: number;
  processed: number;
  duplicates: number;
  in_flight: number;
  rejected: number;
  failed: number;
  /** Deliveries whose attempt number was above 1: the sender had to retry. */
  retries: number;
  reconciled: number;
  conflicts: number;
  last_status: number | null;
  last_delivery_at: string | null;
  last_failure_at: string | null;
  last_error: string | null;
}

const empty = (): DeliveryStats => ({
  received: 0,
  processed: 0,
  duplicates: 0,
  in_flight: 0,
  rejected: 0,
  failed: 0,
  retries: 0,
  reconciled: 0,
  conflicts: 0,
  last_status: null,
  last_delivery_at: null,
  last_failure_at: null,
  last_error: null,
});

export function createDeliveryStats() {
  const total = empty();
  const byJob = new Map<string, DeliveryStats>();
  const record = (report: DeliveryReport): void => {
    const now = new Date().toISOString();
    const targets = [total];
    if (report.jobId) {
      let job = byJob.get(report.jobId);
      if (!job) byJob.set(report.jobId, (job = empty()));
      targets.push(job);
    }
    for (const s of targets) {
      s.received++;
      if (report.outcome === 'processed') s.processed++;
      else if (report.outcome === 'duplicate') s.duplicates++;
      else if (report.outcome === 'in_flight') s.in_flight++;
      else if (report.outcome === 'rejected') s.rejected++;
      else s.failed++;
      if ((report.attempt ?? 1) > 1) s.retries++;
      if (report.reconciled) s.reconciled++;
      if (report.conflict) s.conflicts++;
      s.last_status = report.status;
      s.last_delivery_at = now;
      if (report.status >= 400) {
        s.last_failure_at = now;
        s.last_error = report.code ?? `HTTP ${report.status}`;
      }
    }
  };
  return { record, total: () => total, forJob: (id: string) => byJob.get(id) ?? empty() };
}
