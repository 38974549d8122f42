import { describeFound, integerOption } from '@ai-stats-webhooks/core';

describe('describeFound', () => {
  it.each([
    [undefined, 'nothing'],
    [null, 'null'],
    [42, '42'],
    [Number.NaN, 'NaN'],
    ['x'.repeat(100), JSON.stringify('x'.repeat(80))],
    [[1, 2], 'an array'],
    [() => 1, 'a function'],
    [{ url: 'postgres://u:secret@h/db', max: 1 }, 'an object with keys ["url","max"]'],
  ])('describes %p as %s, never quoting an object', (value, text) => {
    expect(describeFound(value)).toBe(text);
  });

  it('is what option errors say they found (an object was "[object Object]")', () => {
    expect(() => integerOption('leaseMs', { ms: 5 })).toThrow('found an object with keys ["ms"]');
  });
});
