import { createRedisDedupeStore, createRedisJobStore, type RedisCommandClient } from '@ai-stats-webhooks/redis';

const client: RedisCommandClient = { sendCommand: () => Promise.resolve(null) };
const makers = { createRedisDedupeStore, createRedisJobStore } as const;
// Plain JavaScript callers pass anything: the stores are called through this untyped view.
const untyped = (make: (typeof makers)[keyof typeof makers]) => make as (options?: unknown) => unknown;

describe.each(Object.entries(makers))('%s options', (_, make) => {
  const create = untyped(make);

  it.each([
    ['an object', { a: 1 }, /found an object with keys \["a"\]/],
    ['a number', 123, /found 123/],
    ['null', null, /found null/],
  ])('refuses a prefix that is %s', (__, prefix, found) => {
    expect(() => create({ client, prefix })).toThrow(expect.objectContaining({ code: 'invalid_option' }));
    expect(() => create({ client, prefix })).toThrow(/"prefix": expected a string/);
    expect(() => create({ client, prefix })).toThrow(found);
  });

  it('takes a string prefix, and an empty one (a Redis database of its own)', () => {
    expect(() => create({ client, prefix: 'app:' })).not.toThrow();
    expect(() => create({ client, prefix: '' })).not.toThrow();
  });

  it('refuses no options at all with invalid_option, not a TypeError', () => {
    expect(() => create()).toThrow(expect.objectContaining({ code: 'invalid_option' }));
    expect(() => create()).toThrow(/"client": expected .*, found no options/);
  });

  it.each([
    ['an object without sendCommand', {}, /found an object without sendCommand/],
    ['none', undefined, /found nothing/],
    ['a sendCommand that is no function', { sendCommand: 1 }, /found an object whose sendCommand is a number/],
  ])('names what it found for a client that is %s', (__, bad, found) => {
    expect(() => create({ client: bad })).toThrow(expect.objectContaining({ code: 'invalid_option' }));
    expect(() => create({ client: bad })).toThrow(found);
  });
});
