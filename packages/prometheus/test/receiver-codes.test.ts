import { createReceiver } from '@ai-stats-webhooks/core';
import { createWebhookMetrics, METRIC_NAMES } from '@ai-stats-webhooks/prometheus';
import { Registry } from 'prom-client';
import { fixture, SECRET, sign } from '../../../test/helpers/deliveries';
import { sample } from './delivery-report';

describe('createWebhookMetrics as a real receiver onDelivery: the code label', () => {
  it("tells a crawler's GET (405) and a form post (415) apart from a drifted secret (401)", async () => {
    const metrics = createWebhookMetrics({ registry: new Registry() });
    const receiver = createReceiver({ secret: SECRET, logger: {}, onDelivery: metrics.record });
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    expect((await receiver.handle({ method: 'GET', headers: {}, rawBody: Buffer.alloc(0) })).status).toBe(405);
    expect((await receiver.handle({ method: 'POST', headers: form, rawBody: Buffer.from('a=1') })).status).toBe(415);
    const drifted = sign(fixture('video.completed.json'), { secret: 'whsec_drifted' });
    const answer = await receiver.handle({
      method: 'POST',
      headers: drifted.headers,
      rawBody: Buffer.from(drifted.body),
    });
    expect(answer.status).toBe(401);
    const signed = sign(fixture('video.completed.json'));
    expect((await receiver.handle({ method: 'POST', ...signed, rawBody: Buffer.from(signed.body) })).status).toBe(200);

    const text = await metrics.render();
    const total = METRIC_NAMES.deliveries;
    expect(sample(text, `${total}{outcome="rejected",type="unknown",code="method_not_allowed"}`)).toBe(1);
    expect(sample(text, `${total}{outcome="rejected",type="unknown",code="unsupported_media_type"}`)).toBe(1);
    expect(sample(text, `${total}{outcome="rejected",type="unknown",code="signature_mismatch"}`)).toBe(1);
    expect(sample(text, `${total}{outcome="processed",type="video.completed"}`)).toBe(1);
  });
});
