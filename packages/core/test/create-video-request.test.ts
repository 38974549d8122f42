import {
  CREATE_VIDEO_FIELDS,
  parseCreateVideoRequest,
  videoCreateBody,
  VIDEO_WEBHOOK_EVENTS,
} from '@ai-stats-webhooks/core';

describe('parseCreateVideoRequest', () => {
  it('keeps the creation fields of a valid request', () => {
    const parsed = parseCreateVideoRequest({ model: 'veo-3', prompt: 'a fox', seconds: '8', audio: true });
    expect(parsed).toEqual({ ok: true, value: { model: 'veo-3', prompt: 'a fox', seconds: '8', audio: true } });
  });

  it('refuses a webhook (or any unknown field), naming it and the allowed fields', () => {
    const parsed = parseCreateVideoRequest({ model: 'm', prompt: 'p', webhook: { url: 'https://evil.example' } });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.message).toContain('Unknown field "webhook"');
    expect(parsed.message).toContain(CREATE_VIDEO_FIELDS.join(', '));
    expect(parsed.message).toContain('Fix:');
  });

  it.each([
    [null, 'found null'],
    [[1], 'found an array'],
    ['text', 'found "text"'],
    [undefined, 'found nothing'],
  ])('refuses a body that is not an object (%p)', (body, found) => {
    const parsed = parseCreateVideoRequest(body);
    expect(parsed).toEqual({ ok: false, message: expect.stringContaining(found) });
  });

  it('says which field is wrong, what was expected and what was found', () => {
    expect(parseCreateVideoRequest({ model: 'm', prompt: '  ' })).toEqual({
      ok: false,
      message: 'Field "prompt": expected a non-empty string, found "  ".',
    });
    const remix = parseCreateVideoRequest({ model: 'm', prompt: 'p', remixed_from_video_id: '../admin' });
    expect(remix).toEqual({ ok: false, message: expect.stringContaining('expected a job id such as') });
  });
});

describe('videoCreateBody', () => {
  const request = { model: 'm', prompt: 'p' };

  it('adds the configured webhook with its own copy of the events', () => {
    const body = videoCreateBody(request, {
      url: 'https://app.example/hook',
      secret: 'whsec_x',
      events: VIDEO_WEBHOOK_EVENTS,
    });
    expect(body).toEqual({
      ...request,
      webhook: { url: 'https://app.example/hook', secret: 'whsec_x', events: [...VIDEO_WEBHOOK_EVENTS] },
    });
    expect(body.webhook?.events).not.toBe(VIDEO_WEBHOOK_EVENTS);
  });

  it('creates the job without a webhook when none is configured', () => {
    expect(videoCreateBody(request, undefined)).toEqual(request);
  });
});
