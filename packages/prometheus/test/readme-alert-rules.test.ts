import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WEBHOOK_ERROR_STATUS } from '@ai-stats-webhooks/core';

const README = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

/** The `expr:` of one alert of the README's rules. */
function alertExpr(alert: string): string {
  const match = new RegExp(`- alert: ${alert}\\n\\s+expr: (.+)\\n`).exec(README);
  if (!match) throw new Error(`Expected the README's alert rules to hold ${alert}, found none.`);
  return match[1]!;
}

describe('README: the AiStatsWebhookSecretDrift rule', () => {
  const expr = alertExpr('AiStatsWebhookSecretDrift');
  const codes = /code=~"([^"]+)"/.exec(expr)?.[1]?.split('|') ?? [];

  it('matches signature and timestamp failures by code, not every refusal', () => {
    expect(expr).toContain('outcome="rejected"');
    expect(codes).toEqual(expect.arrayContaining(['signature_mismatch', 'timestamp_too_old', 'timestamp_in_future']));
  });

  it('names only 401 codes of the closed table (no 405 crawler, no 415 form post)', () => {
    for (const code of codes) {
      expect([code, Object.hasOwn(WEBHOOK_ERROR_STATUS, code)]).toEqual([code, true]);
      expect([code, WEBHOOK_ERROR_STATUS[code as keyof typeof WEBHOOK_ERROR_STATUS]]).toEqual([code, 401]);
    }
    expect(codes).not.toContain('method_not_allowed');
    expect(codes).not.toContain('unsupported_media_type');
  });
});

describe('README: the metric table', () => {
  it('lists the code label of ai_stats_webhook_deliveries_total', () => {
    expect(README).toContain('`ai_stats_webhook_deliveries_total{outcome,type,code}`');
  });
});
