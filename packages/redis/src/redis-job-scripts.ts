// The Lua scripts of the Redis job store (redis-job-store.ts): each runs atomically in Redis.

// Compare-and-set: write only if the stored version is the one the new state was computed from.
// The open-job index changes in the same script, so it always agrees with the job it indexes.
// Every write also keeps the index keys alive at least as long as this job (KEYS[4], the ready
// marker, only once it exists) and sweeps a few dead ids out of each index, so that a deployment
// that never lists keeps indexes about as large as its live jobs. The swept job keys are built
// from ARGV[8] (the prefix): on Redis Cluster the prefix's hash tag keeps them in the script's slot.
export const CAS = `
local function outlive(key, ttl)
  local left = redis.call('PTTL', key)
  if left ~= -2 and left < ttl then redis.call('PEXPIRE', key, ttl) end
end
-- the two oldest ids (jobs mostly expire in creation order) and two at random places (dead ids
-- behind an oldest job that lives on): each write removes up to four dead ids, about one is added
local function sweep(key, jobPrefix, at1, at2)
  local card = redis.call('ZCARD', key)
  local ids = redis.call('ZRANGE', key, 0, 1)
  for _, fraction in ipairs({ at1, at2 }) do
    local at = math.floor(tonumber(fraction) * card)
    local id = redis.call('ZRANGE', key, at, at)[1]
    if id then ids[#ids + 1] = id end
  end
  for _, id in ipairs(ids) do
    if redis.call('EXISTS', jobPrefix .. id) == 0 then redis.call('ZREM', key, id) end
  end
end
local current = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if current ~= tonumber(ARGV[1]) then return 0 end
local ttl = tonumber(ARGV[4])
redis.call('HSET', KEYS[1], 'version', ARGV[2], 'state', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('ZADD', KEYS[2], 'NX', ARGV[5], ARGV[6])
if ARGV[7] == '1' then
  redis.call('ZADD', KEYS[3], 'NX', ARGV[5], ARGV[6])
else
  redis.call('ZREM', KEYS[3], ARGV[6])
end
for i = 2, 4 do outlive(KEYS[i], ttl) end
sweep(KEYS[2], ARGV[8], ARGV[9], ARGV[10])
sweep(KEYS[3], ARGV[8], ARGV[9], ARGV[10])
return 1
`;

// One page of an index after a cursor (score, member), in its own order: Redis sorts by score,
// then by member bytes, so the cursor stays put while other processes add or remove entries
// anywhere, where a position would shift. ARGV: 'asc' or 'desc', page size, cursor score and
// member ('' and '' for the first page). Returns { member, score, member, score, … }.
export const PAGE_AFTER = `
local function below(a, b)
  -- byte order, as Redis sorts members (Lua's < follows the server's locale)
  for i = 1, math.min(#a, #b) do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then return x < y end
  end
  return #a < #b
end
local key, asc, n, score, member = KEYS[1], ARGV[1] == 'asc', tonumber(ARGV[2]), ARGV[3], ARGV[4]
local card = redis.call('ZCARD', key)
-- pos: how many entries sort before the cursor (ascending: the cursor itself too)
local pos = asc and 0 or card
if score ~= '' then
  local lo = redis.call('ZCOUNT', key, '-inf', '(' .. score)
  local hi = lo + redis.call('ZCOUNT', key, score, score)
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    local m = redis.call('ZRANGE', key, mid, mid)[1]
    if below(m, member) or (asc and m == member) then lo = mid + 1 else hi = mid end
  end
  pos = lo
end
if asc then return redis.call('ZRANGE', key, pos, pos + n - 1, 'WITHSCORES') end
if pos == 0 then return {} end
return redis.call('ZREVRANGE', key, card - pos, card - pos + n - 1, 'WITHSCORES')
`;

// Drops ids from an index whose job is gone (or, for the open index, terminal), unless the job
// changed since it was read: ARGV holds id, version pairs (version 0 = no job), so a job created
// again in between keeps its id.
export const PRUNE = `
for i = 2, #KEYS do
  local version = tonumber(redis.call('HGET', KEYS[i], 'version') or '0')
  if version == tonumber(ARGV[2 * i - 2]) then redis.call('ZREM', KEYS[1], ARGV[2 * i - 3]) end
end
return 0
`;

// Counts the jobs of one page of the index by kind and status, in Redis: KEYS[1] is the index,
// KEYS[2..] the job hashes, ARGV their ids. Drops ids whose job expired from the index (read and
// removed in one script, so a job created again keeps its id). Returns
// { kind, status, count, kind, status, count, … }. A state cjson cannot decode (it refuses an
// escaped lone surrogate that JSON.parse accepts) is read with a pattern instead.
export const COUNT = `
local function kindAndStatus(raw)
  local ok, job = pcall(cjson.decode, raw)
  if ok and type(job) == 'table' and type(job.kind) == 'string' and type(job.status) == 'string' then
    return job.kind, job.status
  end
  return string.match(raw, '"kind":"([%w_]+)"'), string.match(raw, '"status":"([%w_]+)"')
end
local counts, found = {}, {}
for i = 2, #KEYS do
  local raw = redis.call('HGET', KEYS[i], 'state')
  if raw then
    local kind, status = kindAndStatus(raw)
    if kind and status then
      local key = kind .. ' ' .. status
      if counts[key] == nil then
        counts[key] = 0
        found[#found + 1] = { key, kind, status }
      end
      counts[key] = counts[key] + 1
    end
  else
    redis.call('ZREM', KEYS[1], ARGV[i - 1])
  end
end
local out = {}
for _, pair in ipairs(found) do
  out[#out + 1] = pair[2]
  out[#out + 1] = pair[3]
  out[#out + 1] = counts[pair[1]]
end
return out
`;
