import { passesEnvelopeChecks } from '../src/stages/envelope-checks';
import { eventChecks } from '../src/wire/schemas';
import { fixture } from '../../../test/helpers/deliveries';

type Body = Record<string, unknown>;
const FIXTURES = [
  'video.progress.50.json',
  'video.completed.json',
  'video.failed.attempt2.json',
  'video.status_changed.json',
  'batch.completed.json',
];
const kindOf = (body: Body) => (String(body.type).startsWith('batch.') ? 'batch' : 'video');

// Replaces the value at `path` (or deletes it) in a deep copy.
function mutate(body: Body, path: string[], value: unknown): Body {
  const copy = structuredClone(body);
  let target = copy;
  for (const key of path.slice(0, -1)) {
    if (typeof target[key] !== 'object' || target[key] === null) target[key] = {};
    target = target[key] as Body;
  }
  const last = path[path.length - 1]!;
  if (value === DELETE) delete target[last];
  else target[last] = value;
  return copy;
}
const DELETE = Symbol('delete');

const PATHS = [
  ['id'],
  ['type'],
  ['created_at'],
  ['delivery'],
  ['delivery', 'key'],
  ['delivery', 'attempt'],
  ['delivery', 'max_attempts'],
  ['status_change'],
  ['status_change', 'status'],
  ['status_change', 'previous_status'],
  ['data'],
  ...[
    'id',
    'object',
    'kind',
    'status',
    'lifecycle_status',
    'progress',
    'provider',
    'model',
    'content_url',
    'download_url',
    'expires_at',
    'output_file_id',
    'error_file_id',
    'request_counts',
    'upstream_error',
    'created_at',
    'updated_at',
  ].map((field) => ['data', field]),
  ['data', 'request_counts', 'total'],
  ['data', 'upstream_error', 'code'],
  ['data', 'upstream_error', 'status'],
];
const VALUES: unknown[] = [
  DELETE,
  null,
  undefined,
  '',
  'x',
  'x'.repeat(513),
  'video',
  'batch',
  'video.progress',
  'batch.completed',
  'video.unknown',
  0,
  -1,
  1,
  1.5,
  2 ** 60,
  true,
  [],
  {},
  { previous_status: null, status: 'completed' },
  { total: 1, completed: 1, failed: 0 },
];

describe('passesEnvelopeChecks (the parse stage fast path)', () => {
  it('passes every fixture, as zod does', () => {
    for (const name of FIXTURES) {
      const body = fixture(name).body as Body;
      expect(eventChecks[kindOf(body)].safeParse(body).success).toBe(true);
      expect(passesEnvelopeChecks(body, kindOf(body))).toBe(true);
    }
  });

  it('never passes a body that the zod check rejects', () => {
    let rejected = 0;
    for (const name of FIXTURES) {
      const body = fixture(name).body as Body;
      for (const path of PATHS) {
        for (const value of VALUES) {
          const mutated = mutate(body, path, value);
          for (const kind of ['video', 'batch'] as const) {
            const zod = eventChecks[kind].safeParse(mutated).success;
            if (!zod) rejected++;
            if (passesEnvelopeChecks(mutated, kind))
              expect({ name, path, value, kind, zod }).toMatchObject({ zod: true });
          }
        }
      }
    }
    expect(rejected).toBeGreaterThan(1000);
  });
});
