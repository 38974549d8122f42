import { invalidOption, timerOption } from '@ai-stats-webhooks/core';

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
  /** Key prefix. Default `ai-stats-webhooks:`. */
  readonly prefix?: string;
  /**
   * A command that takes longer fails (the receiver then answers 503). Default 2000 ms. Create the
   * client with `disableOfflineQueue: true` so that commands fail at once while Redis is down.
   */
  readonly commandTimeoutMs?: number;
}

export const DEFAULT_PREFIX = 'ai-stats-webhooks:';
export const DEFAULT_COMMAND_TIMEOUT_MS = 2_000;

/** Runs Lua scripts by SHA, loading them once (and again after a Redis restart). */
export function createRedisRunner(options: RedisStoreBaseOptions) {
  const client = options.client;
  if (typeof client?.sendCommand !== 'function') {
    throw invalidOption('client', 'a Redis client with sendCommand(args) (node-redis createClient())', 'none');
  }
  const timeoutMs = timerOption('commandTimeoutMs', options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS);
  // `waitMs` overrides the command timeout (a best-effort cleanup may wait longer than a delivery).
  const send = (args: string[], waitMs: number = timeoutMs): Promise<unknown> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer ${args[0]} within ${waitMs} ms`)), waitMs);
    });
    return Promise.race([client.sendCommand(args), timeout]).finally(() => clearTimeout(timer));
  };
  const shas = new Map<string, string>();
  const script = async (lua: string, keys: string[], args: string[], waitMs?: number): Promise<unknown> => {
    let sha = shas.get(lua);
    if (sha === undefined) {
      sha = String(await send(['SCRIPT', 'LOAD', lua], waitMs));
      shas.set(lua, sha);
    }
    try {
      return await send(['EVALSHA', sha, String(keys.length), ...keys, ...args], waitMs);
    } catch (error) {
      if (!String((error as Error)?.message).includes('NOSCRIPT')) throw error;
      shas.delete(lua);
      return send(['EVAL', lua, String(keys.length), ...keys, ...args], waitMs);
    }
  };
  return { send, script, prefix: options.prefix ?? DEFAULT_PREFIX };
}
