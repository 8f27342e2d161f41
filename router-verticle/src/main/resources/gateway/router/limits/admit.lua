-- Checks and records every limit of one request in one round trip, atomically.
--
-- ARGV: request id, token estimate, concurrency lease ms, then a count of mandatory scopes
-- (the key and its account) followed by one group per scope, then a count of candidate
-- channels followed by one group each. A group is: prefix, rpm, rph, rpd, tpm, concurrency,
-- with -1 for "no limit".
--
-- Every mandatory scope must have room; of the channels, the first with room is taken.
-- Nothing is recorded unless the request is admitted.
--
-- Returns {1, channel index (0 when no channels were given), requests limit, remaining,
-- reset ms, tokens limit, remaining, reset ms} when admitted (limit -1: none applies);
-- {0, scope index, limit name, limit, retry ms} when a mandatory scope is full;
-- {2, 0, limit name, limit, retry ms} when every channel is full.

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local id = ARGV[1]
local estimate = tonumber(ARGV[2])
local lease = tonumber(ARGV[3])
local WINDOWS = {{'rpm', 60000}, {'rph', 3600000}, {'rpd', 86400000}}
local TOKEN_WINDOW = 60000

local function read_groups(at)
  local count = tonumber(ARGV[at])
  local groups = {}
  at = at + 1
  for i = 1, count do
    groups[i] = {prefix = ARGV[at], rpm = tonumber(ARGV[at + 1]), rph = tonumber(ARGV[at + 2]),
                 rpd = tonumber(ARGV[at + 3]), tpm = tonumber(ARGV[at + 4]), conc = tonumber(ARGV[at + 5])}
    at = at + 6
  end
  return groups, at
end

-- Drops what aged out of a token window and returns the tokens still in it.
local function token_sum(prefix)
  local log = prefix .. ':tpm'
  local expired = redis.call('ZRANGEBYSCORE', log, '-inf', now - TOKEN_WINDOW)
  if #expired > 0 then
    local spent = 0
    for _, member in ipairs(expired) do
      spent = spent + (tonumber(redis.call('HGET', log .. ':tokens', member)) or 0)
      redis.call('HDEL', log .. ':tokens', member)
    end
    redis.call('ZREMRANGEBYSCORE', log, '-inf', now - TOKEN_WINDOW)
    redis.call('DECRBY', log .. ':sum', spent)
  end
  return tonumber(redis.call('GET', log .. ':sum')) or 0
end

local function oldest_reset(key, window)
  local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  if oldest[2] then
    return math.max(1, tonumber(oldest[2]) + window - now)
  end
  return window
end

-- nil when the group has room, else {limit name, limit, retry ms}. Also returns, for the
-- headers, the tightest request window and the token window as seen before this request,
-- each as {limit, remaining, key, window}: their reset is looked up only for the tightest of
-- all groups, once (see reset_of).
local function check(g)
  local tightest = nil
  for _, w in ipairs(WINDOWS) do
    local limit = g[w[1]]
    if limit >= 0 then
      local key = g.prefix .. ':' .. w[1]
      redis.call('ZREMRANGEBYSCORE', key, '-inf', now - w[2])
      local used = redis.call('ZCARD', key)
      if used >= limit then
        return {w[1], limit, oldest_reset(key, w[2])}
      end
      local remaining = limit - used - 1
      if tightest == nil or remaining < tightest[2] then
        tightest = {limit, remaining, key, w[2]}
      end
    end
  end
  local tokens = nil
  if g.tpm >= 0 then
    local used = token_sum(g.prefix)
    if used > 0 and used + estimate > g.tpm then
      return {'tpm', g.tpm, oldest_reset(g.prefix .. ':tpm', TOKEN_WINDOW)}
    end
    tokens = {g.tpm, math.max(0, g.tpm - used - estimate), g.prefix .. ':tpm', TOKEN_WINDOW}
  end
  if g.conc >= 0 then
    local key = g.prefix .. ':conc'
    redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
    if redis.call('ZCARD', key) >= g.conc then
      return {'concurrency', g.conc, 1000}
    end
  end
  return nil, tightest, tokens
end

-- A header triple {limit, remaining, reset ms} from check's {limit, remaining, key, window}.
local function reset_of(window)
  if window == nil then
    return {-1, -1, -1}
  end
  return {window[1], window[2], oldest_reset(window[3], window[4])}
end

local function record(g)
  for _, w in ipairs(WINDOWS) do
    if g[w[1]] >= 0 then
      local key = g.prefix .. ':' .. w[1]
      redis.call('ZADD', key, now, id)
      redis.call('PEXPIRE', key, w[2])
    end
  end
  if g.tpm >= 0 then
    local log = g.prefix .. ':tpm'
    redis.call('ZADD', log, now, id)
    redis.call('HSET', log .. ':tokens', id, estimate)
    redis.call('INCRBY', log .. ':sum', estimate)
    for _, key in ipairs({log, log .. ':tokens', log .. ':sum'}) do
      redis.call('PEXPIRE', key, TOKEN_WINDOW * 2)
    end
  end
  if g.conc >= 0 then
    local key = g.prefix .. ':conc'
    redis.call('ZADD', key, now + lease, id)
    redis.call('PEXPIRE', key, lease)
  end
end

local mandatory, at = read_groups(4)
local channels = read_groups(at)

local requests = nil
local tokens = nil
for i, g in ipairs(mandatory) do
  local full, tightest, tight_tokens = check(g)
  if full then
    return {0, i, full[1], full[2], full[3]}
  end
  if tightest and (requests == nil or tightest[2] < requests[2]) then
    requests = tightest
  end
  if tight_tokens and (tokens == nil or tight_tokens[2] < tokens[2]) then
    tokens = tight_tokens
  end
end

local chosen = 0
local last_full = nil
for i, g in ipairs(channels) do
  local full = check(g)
  if not full then
    chosen = i
    break
  end
  if last_full == nil or full[3] < last_full[3] then
    last_full = full
  end
end
if #channels > 0 and chosen == 0 then
  return {2, 0, last_full[1], last_full[2], last_full[3]}
end

-- the resets as seen before this request is recorded (an empty window resets in a whole window)
requests = reset_of(requests)
tokens = reset_of(tokens)
for _, g in ipairs(mandatory) do
  record(g)
end
if chosen > 0 then
  record(channels[chosen])
end
return {1, chosen, requests[1], requests[2], requests[3], tokens[1], tokens[2], tokens[3]}
