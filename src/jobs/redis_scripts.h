// The Lua scripts of the Redis job store. Each runs atomically on the Redis server; ARGV[1] is
// always the key prefix. Times come from the server (TIME), so the hosts' clocks may differ.
#ifndef ATG_JOBS_REDIS_SCRIPTS_H_
#define ATG_JOBS_REDIS_SCRIPTS_H_

namespace atg::jobs::redis_scripts {

// Helpers shared by the scripts below (prepended to each).
inline constexpr const char* kPrelude = R"lua(
local P = ARGV[1]
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function int(n) return string.format('%d', n) end
local function jkey(id) return P .. 'job:' .. id end
local function add_event(id, typ, data, now)
  local seq = redis.call('HINCRBY', jkey(id), 'ev_seq', 1)
  redis.call('RPUSH', P .. 'events:' .. id, '{"seq":' .. int(seq) .. ',"type":"' .. typ ..
             '","data":' .. data .. ',"at_ms":' .. int(now) .. '}')
end
local function state_event(id, state, err, now)
  local d = {state = state}
  if err ~= nil and err ~= '' then d['error'] = err end
  add_event(id, 'state', cjson.encode(d), now)
end
local function cancel_now(id, now)
  redis.call('HSET', jkey(id), 'state', 'cancelled', 'error', 'cancelled by request',
             'error_type', 'cancelled', 'finished_at_ms', int(now), 'worker', '',
             'lease_until', '0', 'cancel_requested', '1')
  redis.call('ZREM', P .. 'running', id)
  redis.call('ZADD', P .. 'finished', int(now), id)
  state_event(id, 'cancelled', 'cancelled by request', now)
end
local function requeue(id, reason, now)
  redis.call('ZREM', P .. 'running', id)
  if redis.call('HGET', jkey(id), 'cancel_requested') == '1' then
    cancel_now(id, now)
    return
  end
  redis.call('HSET', jkey(id), 'state', 'pending', 'worker', '', 'lease_until', '0')
  redis.call('LPUSH', P .. 'pending', id)
  add_event(id, 'state', cjson.encode({state = 'pending', reason = reason}), now)
end
local function holds(id, worker)
  local v = redis.call('HMGET', jkey(id), 'state', 'worker', 'cancel_requested')
  return v[1] == 'running' and v[2] == worker, v[3] == '1'
end
-- Fresh jobs wait in one list per owner (P pq:<owner>); P owners is the set of owners with
-- one. P pending holds the jobs handed back (lease expired, released), claimed first.
local function owner_queue(owner) return P .. 'pq:' .. owner end
local function depth(now)
  local n = redis.call('LLEN', P .. 'pending') +
            redis.call('ZCOUNT', P .. 'running', '-inf', '(' .. int(now))
  for _, o in ipairs(redis.call('SMEMBERS', P .. 'owners')) do
    n = n + redis.call('LLEN', owner_queue(o))
  end
  return n
end
)lua";

// ARGV: P, id, max_depth, owner, created_at_ms, max_per_owner, then field/value pairs of the
// new hash. Returns "ok", "exists", "full:<depth>" or "owner_full:<owner's pending>".
inline constexpr const char* kCreate = R"lua(
local id = ARGV[2]
if redis.call('EXISTS', jkey(id)) == 1 then return 'exists' end
local now = now_ms()
local owner = ARGV[4]
local per = tonumber(ARGV[6])
if per > 0 then
  local mine = redis.call('LLEN', owner_queue(owner))
  if mine >= per then return 'owner_full:' .. int(mine) end
end
local max = tonumber(ARGV[3])
if max > 0 then
  local d = depth(now)
  if d >= max then return 'full:' .. int(d) end
end
local fields = {}
for i = 7, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', jkey(id), unpack(fields))
redis.call('RPUSH', owner_queue(owner), id)
redis.call('SADD', P .. 'owners', owner)
redis.call('ZADD', P .. 'owner:' .. owner, ARGV[5], id)
state_event(id, 'pending', '', now)
return 'ok'
)lua";

// ARGV: P, worker, lease_ms. Requeues expired leases at the front, then leases a job handed
// back if any, else, fairly, the oldest job of the owner with the fewest running jobs (ties:
// the owner whose last turn is oldest, then the one whose oldest job is oldest). Returns the
// job hash (HGETALL) or nil.
inline constexpr const char* kClaim = R"lua(
local now = now_ms()
local expired = redis.call('ZRANGEBYSCORE', P .. 'running', '-inf', '(' .. int(now))
for i = #expired, 1, -1 do requeue(expired[i], 'lease expired', now) end
local function lease(id)
  local k = jkey(id)
  local until_ms = now + tonumber(ARGV[3])
  redis.call('HSET', k, 'state', 'running', 'worker', ARGV[2], 'lease_until', int(until_ms))
  redis.call('HINCRBY', k, 'attempts', 1)
  if redis.call('HGET', k, 'started_at_ms') == '0' then
    redis.call('HSET', k, 'started_at_ms', int(now))
  end
  redis.call('ZADD', P .. 'running', int(until_ms), id)
  state_event(id, 'running', '', now)
  return redis.call('HGETALL', k)
end
while true do
  local id = redis.call('LPOP', P .. 'pending')
  if not id then break end
  if redis.call('HGET', jkey(id), 'state') == 'pending' then return lease(id) end
end
local owners = redis.call('SMEMBERS', P .. 'owners')
if #owners == 0 then return false end
local running = {}
for _, rid in ipairs(redis.call('ZRANGE', P .. 'running', 0, -1)) do
  local o = redis.call('HGET', jkey(rid), 'owner')
  if o then running[o] = (running[o] or 0) + 1 end
end
local turns, oldest = {}, {}
for _, o in ipairs(owners) do
  turns[o] = tonumber(redis.call('HGET', P .. 'turns', o) or '0')
  local head = redis.call('LINDEX', owner_queue(o), 0)
  oldest[o] = head and tonumber(redis.call('HGET', jkey(head), 'created_at_ms') or '0') or 0
end
local function before(a, b)
  local ra, rb = running[a] or 0, running[b] or 0
  if ra ~= rb then return ra < rb end
  if turns[a] ~= turns[b] then return turns[a] < turns[b] end
  if oldest[a] ~= oldest[b] then return oldest[a] < oldest[b] end
  return a < b
end
while #owners > 0 do
  local bi = 1
  for i = 2, #owners do
    if before(owners[i], owners[bi]) then bi = i end
  end
  local best = owners[bi]
  local q = owner_queue(best)
  local id = redis.call('LPOP', q)
  if redis.call('LLEN', q) == 0 then
    redis.call('SREM', P .. 'owners', best)
    table.remove(owners, bi)
  end
  if id and redis.call('HGET', jkey(id), 'state') == 'pending' then
    redis.call('HSET', P .. 'turns', best, redis.call('INCR', P .. 'turn_seq'))
    return lease(id)
  end
end
return false
)lua";

// ARGV: P, id, worker, lease_ms. 0 = lease lost, 1 = renewed, 2 = renewed, cancel requested.
inline constexpr const char* kHeartbeat = R"lua(
local id = ARGV[2]
local held, cancel = holds(id, ARGV[3])
if not held then return 0 end
local lease = now_ms() + tonumber(ARGV[4])
redis.call('HSET', jkey(id), 'lease_until', int(lease))
redis.call('ZADD', P .. 'running', int(lease), id)
if cancel then return 2 end
return 1
)lua";

// ARGV: P, id, worker, progress JSON. 0 = lease lost, 1 = stored.
inline constexpr const char* kProgress = R"lua(
local id = ARGV[2]
if not holds(id, ARGV[3]) then return 0 end
redis.call('HSET', jkey(id), 'progress', ARGV[4])
add_event(id, 'progress', ARGV[4], now_ms())
return 1
)lua";

// ARGV: P, id, worker, state, result JSON, artifact, error, error_type. 0 = lease lost.
inline constexpr const char* kFinish = R"lua(
local id = ARGV[2]
if not holds(id, ARGV[3]) then return 0 end
local now = now_ms()
redis.call('HSET', jkey(id), 'state', ARGV[4], 'result', ARGV[5], 'artifact', ARGV[6],
           'error', ARGV[7], 'error_type', ARGV[8], 'finished_at_ms', int(now), 'worker', '',
           'lease_until', '0')
redis.call('ZREM', P .. 'running', id)
redis.call('ZADD', P .. 'finished', int(now), id)
state_event(id, ARGV[4], ARGV[7], now)
return 1
)lua";

// ARGV: P, id, worker. 0 = lease lost, 1 = back at the front of the queue (or cancelled).
inline constexpr const char* kRelease = R"lua(
local id = ARGV[2]
if not holds(id, ARGV[3]) then return 0 end
requeue(id, 'released by its worker', now_ms())
return 1
)lua";

// ARGV: P, id. Returns "missing", "terminal:<state>", "cancelled" or "requested".
inline constexpr const char* kCancel = R"lua(
local id = ARGV[2]
local state = redis.call('HGET', jkey(id), 'state')
if not state then return 'missing' end
if state == 'pending' then
  redis.call('LREM', P .. 'pending', 0, id)
  local owner = redis.call('HGET', jkey(id), 'owner')
  if owner then
    redis.call('LREM', owner_queue(owner), 0, id)
    if redis.call('LLEN', owner_queue(owner)) == 0 then redis.call('SREM', P .. 'owners', owner) end
  end
  cancel_now(id, now_ms())
  return 'cancelled'
end
if state == 'running' then
  -- An expired lease means the worker is gone: nobody would see the request.
  local now = now_ms()
  if tonumber(redis.call('HGET', jkey(id), 'lease_until') or '0') < now then
    cancel_now(id, now)
    return 'cancelled'
  end
  redis.call('HSET', jkey(id), 'cancel_requested', '1')
  return 'requested'
end
return 'terminal:' .. state
)lua";

// ARGV: P. Pending jobs plus running jobs whose lease has expired.
inline constexpr const char* kDepth = R"lua(
return depth(now_ms())
)lua";

// ARGV: P, cutoff_ms, limit. Job retention: removes up to `limit` terminal jobs that finished
// before cutoff_ms (P finished holds them by finish time) with their events and index entries.
// UNLINK frees the memory off Redis' main thread. Returns {purged, examined, artifact ids...};
// an index entry whose job is gone or not terminal is dropped without counting.
inline constexpr const char* kPurge = R"lua(
local ids = redis.call('ZRANGEBYSCORE', P .. 'finished', '-inf', '(' .. ARGV[2], 'LIMIT', 0,
                       tonumber(ARGV[3]))
local out = {0, #ids}
for _, id in ipairs(ids) do
  local v = redis.call('HMGET', jkey(id), 'state', 'owner', 'artifact')
  if v[1] == 'completed' or v[1] == 'failed' or v[1] == 'cancelled' then
    redis.call('UNLINK', jkey(id), P .. 'events:' .. id)
    if v[2] then redis.call('ZREM', P .. 'owner:' .. v[2], id) end
    redis.call('ZREM', P .. 'running', id)
    out[1] = out[1] + 1
    if v[3] and v[3] ~= '' then out[#out + 1] = v[3] end
  end
  redis.call('ZREM', P .. 'finished', id)
end
return out
)lua";

// ARGV: P, SCAN cursor, MATCH pattern for P job:*, COUNT. One step of indexing, in P finished,
// the terminal jobs stored before that index existed (an upgrade). Returns the next cursor;
// "0" once the whole keyspace was seen, which also sets P finished_indexed so no process
// scans again.
inline constexpr const char* kIndexFinished = R"lua(
if redis.call('EXISTS', P .. 'finished_indexed') == 1 then return '0' end
local r = redis.call('SCAN', ARGV[2], 'MATCH', ARGV[3], 'COUNT', tonumber(ARGV[4]))
for _, k in ipairs(r[2]) do
  if redis.call('TYPE', k)['ok'] == 'hash' then
    local v = redis.call('HMGET', k, 'id', 'state', 'finished_at_ms')
    if v[1] and (v[2] == 'completed' or v[2] == 'failed' or v[2] == 'cancelled') then
      redis.call('ZADD', P .. 'finished', 'NX', tonumber(v[3]) or 0, v[1])
    end
  end
end
if r[1] == '0' then redis.call('SET', P .. 'finished_indexed', '1') end
return r[1]
)lua";

// ARGV: P, id, owner, created_at_ms, state, finished_at_ms, n, n event JSON texts (seq 1..n in
// order), then field/value pairs of the hash. A backup's job, restored as it was: 0 when a job
// with that id exists (left alone), 1 when added. A running job goes into P running with lease
// 0, so the next claim finds its lease expired and queues it again.
inline constexpr const char* kRestore = R"lua(
local id = ARGV[2]
if redis.call('EXISTS', jkey(id)) == 1 then return 0 end
local n = tonumber(ARGV[7])
local fields = {}
for i = 8 + n, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', jkey(id), unpack(fields))
for i = 8, 7 + n do redis.call('RPUSH', P .. 'events:' .. id, ARGV[i]) end
redis.call('ZADD', P .. 'owner:' .. ARGV[3], ARGV[4], id)
local state = ARGV[5]
if state == 'pending' then
  redis.call('RPUSH', P .. 'pending', id)
elseif state == 'running' then
  redis.call('ZADD', P .. 'running', 0, id)
else
  redis.call('ZADD', P .. 'finished', ARGV[6], id)
end
return 1
)lua";

}  // namespace atg::jobs::redis_scripts

#endif  // ATG_JOBS_REDIS_SCRIPTS_H_
