import { hasUnstorableText, toStorableText } from '@ai-stats-webhooks/core';

describe('storable text', () => {
  it('finds and replaces U+0000 and unpaired surrogates, and keeps pairs', () => {
    const text = 'a\u0000b \ud800 c \udc00 d \ud83d\ude00';
    expect(hasUnstorableText(text)).toBe(true);
    expect(toStorableText(text)).toBe('a\ufffdb \ufffd c \ufffd d \ud83d\ude00');
    expect(hasUnstorableText(toStorableText(text))).toBe(false);
    expect(hasUnstorableText('evt_video_G-1_video_completed \ud83d\ude00')).toBe(false);
  });
});
