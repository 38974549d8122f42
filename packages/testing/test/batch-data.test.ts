import { fixture } from '../../../test/helpers/deliveries';
import { batchData } from '../src/batch-data';

const SENDER_KEYS = Object.keys(fixture('batch.completed.json').body.data);
const inSenderOrder = (keys: string[]) => {
  let at = 0;
  return keys.every((key) => (at = SENDER_KEYS.indexOf(key, at)) !== -1);
};

describe('batchData', () => {
  it('builds the sender fields in the sender order, with the batch status words (spec §6.3)', () => {
    const data = batchData({ id: 'batch_01KA7ZC3D5E7F9G1H3J5K7M9N1', status: 'queued' });
    expect(inSenderOrder(Object.keys(data))).toBe(true);
    expect(data).toMatchObject({
      id: 'batch_01KA7ZC3D5E7F9G1H3J5K7M9N1',
      object: 'batch',
      kind: 'batch',
      status: 'pending',
      lifecycle_status: 'pending',
      progress: 0,
      request_id: 'G-01KA7ZC3D5E7F9G1H3J5K7M9N1',
      polling_url: 'https://api.phaseo.app/v1/batches/batch_01KA7ZC3D5E7F9G1H3J5K7M9N1',
      request_counts: { total: 10, completed: 0, failed: 0 },
      upstream_error: null,
    });
    expect(data).not.toHaveProperty('content_url');
    expect(data).not.toHaveProperty('pricing_breakdown');
  });

  it('builds its URLs under the given API base URL (the mock gateway passes its own)', () => {
    const data = batchData({ id: 'batch_1', status: 'completed', baseUrl: 'http://127.0.0.1:45520/v1' });
    expect(data.polling_url).toBe('http://127.0.0.1:45520/v1/batches/batch_1');
    expect(data.websocket_url).toBe('ws://127.0.0.1:45520/v1/async/batch/batch_1/ws');
  });

  it('completes with every request counted and an output file', () => {
    expect(batchData({ id: 'batch_1', status: 'completed' })).toMatchObject({
      status: 'completed',
      progress: 100,
      request_counts: { total: 10, completed: 10, failed: 0 },
      output_file_id: expect.stringMatching(/^file-/),
    });
  });

  it('fills upstream_error when failed, not when expired, and takes an override', () => {
    expect(batchData({ id: 'batch_1', status: 'failed' }).upstream_error).toMatchObject({
      code: 'batch_failed',
      message: 'Every request in the batch failed.',
    });
    expect(batchData({ id: 'batch_1', status: 'expired' }).upstream_error).toBeNull();
    const error = { code: 'x', type: null, message: 'm', description: null, param: null, status: 500 };
    expect(batchData({ id: 'batch_1', status: 'failed', upstreamError: error }).upstream_error).toEqual(error);
  });
});
