import { createHash } from 'node:crypto';
import { describeFound, invalidOption, timerOption, type Logger } from '@ai-stats-webhooks/core';

/**
 * The one method the Redis stores need. node-redis clients (`createClient()`, v4 and later) have
 * it as is; for ioredis pass `{ sendCommand: (args) => redis.call(args[0], ...args.slice(1)) }`.
 */
export interface RedisCommandClient {
  sendCommand(args: string[]): Promise<unknown>;
}

/** Options shared by the Redis stores. */
export interface RedisStoreBaseOptions {
  readonly client: RedisCommandClient;
  /**
   * Key prefix, any string (`''` for none, in a Redis database of the stores' own). Default
   * `ai-stats-webhooks:`. On Redis Cluster the job store needs a hash tag in it, such as
   * `{aisw}:`, so that its keys share one slot.
   */
  readonly prefix?: string;
  /**
   * A command that takes longer fails (the receiver then answers 503). Default 2000 ms. Create the
   * client with `disableOfflineQueue: true` so that commands fail at once while Redis is down.
   */
  readonly commandTimeoutMs?: number;
  /**
   * Told once (`warn`) when Redis may evict the stores' keys (a `maxmemory-policy` other than
   * `noeviction`, read from `INFO memory` with the first command). Default: `console`.
   */
  readonly logger?: Pick<Logger, 'warn'>;
}

export const DEFAULT_PREFIX = 'ai-stats-webhooks:';
export const DEFAULT_COMMAND_TIMEOUT_MS = 2_000;

const CLIENT_EXPECTED = 'a Redis client with sendCommand(args), such as node-redis createClient()';

// What a caller without types passed instead of a client, said precisely enough to fix it.
function describeClient(options: unknown): string | undefined {
  if (options === null || typeof options !== 'object') return `no options object (${describeFound(options)})`;
  const client = (options as { client?: unknown }).client;
  if (client === null || typeof client !== 'object') return describeFound(client);
  const sendCommand = (client as { sendCommand?: unknown }).sendCommand;
  if (sendCommand === undefined) return 'an object without sendCommand';
  if (typeof sendCommand !== 'function') return `an object whose sendCommand is a ${typeof sendCommand}`;
  return undefined;
}

// Validated here, not by the types alone: JavaScript callers reach the stores too.
function baseOptions(options: RedisStoreBaseOptions): { client: RedisCommandClient; prefix: string } {
  const found = describeClient(options);
  if (found !== undefined) throw invalidOption('client', CLIENT_EXPECTED, found);
  const prefix: unknown = options.prefix === undefined ? DEFAULT_PREFIX : options.prefix;
  if (typeof prefix !== 'string') {
    throw invalidOption('prefix', `a string such as "${DEFAULT_PREFIX}" (or leave it out)`, describeFound(prefix));
  }
  return { client: options.client, prefix };
}

/**
 * Runs commands with a timeout, and Lua scripts by SHA (sent whole on first use, and again after a
 * Redis restart). With its first command it reads the eviction policy (until Redis answers it).
 */
export function createRedisRunner(options: RedisStoreBaseOptions) {
  const { client, prefix } = baseOptions(options);
  const timeoutMs = timerOption('commandTimeoutMs', options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS);
  let policy: 'unread' | 'reading' | 'read' = 'unread';
  // `waitMs` overrides the command timeout (a best-effort cleanup may wait longer than a delivery).
  const send = (args: string[], waitMs: number = timeoutMs): Promise<unknown> => {
    if (policy === 'unread') {
      policy = 'reading';
      void readEvictionPolicy(client, options.logger ?? console).then((read) => (policy = read ? 'read' : 'unread'));
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer ${args[0]} within ${waitMs} ms`)), waitMs);
    });
    return Promise.race([client.sendCommand(args), timeout]).finally(() => clearTimeout(timer));
  };
  // Scripts Redis answered EVAL for, so it holds them by SHA. No SCRIPT LOAD: a load that timed
  // out would leave the script itself (a COMMIT, a RELEASE) unsent, while an EVAL that times out
  // still runs.
  const cached = new Set<string>();
  const shas = new Map<string, string>();
  const script = async (lua: string, keys: string[], args: string[], waitMs?: number): Promise<unknown> => {
    const tail = [String(keys.length), ...keys, ...args];
    if (!cached.has(lua)) {
      const answer = await send(['EVAL', lua, ...tail], waitMs);
      cached.add(lua);
      return answer;
    }
    let sha = shas.get(lua);
    if (sha === undefined) shas.set(lua, (sha = createHash('sha1').update(lua).digest('hex')));
    try {
      return await send(['EVALSHA', sha, ...tail], waitMs);
    } catch (error) {
      if (!String((error as Error)?.message).includes('NOSCRIPT')) throw error;
      return send(['EVAL', lua, ...tail], waitMs); // Redis restarted or flushed its scripts
    }
  };
  return { send, script, prefix };
}

const EVICTION_WARNING =
  'Redis may evict the keys of the ai-stats-webhooks stores: an evicted done-key runs its handlers again, an evicted job is unknown again and can move backwards.';

// True once Redis answered (a policy that evicts is told); false to ask again with a later command.
async function readEvictionPolicy(client: RedisCommandClient, logger: Pick<Logger, 'warn'>): Promise<boolean> {
  let info: unknown;
  try {
    info = await client.sendCommand(['INFO', 'memory']);
  } catch {
    return false; // down, or INFO disabled (then every later command fails or the check is moot)
  }
  const policy = /^maxmemory_policy:(\S+)/m.exec(String(info))?.[1];
  if (policy !== undefined && policy !== 'noeviction') {
    try {
      logger.warn?.(
        `${EVICTION_WARNING} Expected maxmemory-policy noeviction, found ${policy}. Fix: CONFIG SET maxmemory-policy noeviction (or set it in redis.conf, or in your provider's parameter group), or give the stores a Redis of their own.`,
        { maxmemoryPolicy: policy },
      );
    } catch {
      // a logger that throws is ignored
    }
  }
  return true;
}
