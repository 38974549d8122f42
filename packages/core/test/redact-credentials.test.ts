import { redactCredentials } from '@ai-stats-webhooks/core';

describe('redactCredentials', () => {
  it.each([
    ['connect to redis://:hunter2@cache:6379 failed', 'connect to redis://***@cache:6379 failed'],
    ['https://user:p@ss@host/x and postgres://u:w@db/app', 'https://***@host/x and postgres://***@db/app'],
    ['https://token@api.example/v1', 'https://***@api.example/v1'],
    ['no url here, just mail@example.com', 'no url here, just mail@example.com'],
    ['https://host/path?email=a@b.c', 'https://host/path?email=a@b.c'],
  ])('%s', (input, output) => {
    expect(redactCredentials(input)).toBe(output);
  });
});
