-- Checks every limit a request still needs from Redis and takes it, in one round trip, atomically;
-- what a router already holds in its own allowance (RateLimiter, ScopeAllowance) is not sent.
--
-- ARGV: the router's slot lease id, the lease's life in ms, then a count of mandatory scopes (the key
-- and its account) followed by one group per scope, then a count of candidate channels followed by
-- one group each. A group is 12 values: prefix; the limits rpm, rph, rpd, tpm, concurrency (-1: none);
-- then for requests, tokens and slots each what is needed (0: not asked of Redis now) and how much
-- more the router may take ahead for its allowance.
--
-- Windows are counters in buckets (a second for the minute windows, a minute for the hour and day),
-- one hash per window with a running sum: a window counts its current bucket and as many past ones as
-- cover one window plus one bucket, so whatever a router takes ahead (used within a second of being
-- taken) never lets any window-long span exceed the limit. Slots are counts per router lease, each
-- lease with an expiry, so a router that dies gives its slots back when its lease runs out.
--
-- Every mandatory scope must have room; of the channels, the first with room is taken. Nothing is
-- recorded unless the request is admitted. What is taken ahead is a sixteenth of the room at most,
-- bounded by the router's cap: near a limit every request asks Redis.
--
-- Returns {1, now ms, chosen channel index (0: none given), then 9 values per mandatory group and,
-- when a channel was chosen, 9 for it: requests, tokens and slots taken, request limit, requests
-- left after the take, reset ms, token limit, tokens left after the take, reset ms (limits -1: not
-- looked at)} when admitted; {0, scope index, limit name, limit, retry ms} when a mandatory scope is
-- full; {2, 0, limit name, limit, retry ms} when every channel is full.

local lease_id = ARGV[1]
local lease_ms = tonumber(ARGV[2])
local SHARE = 16
local REQUEST_WINDOWS = {RPM, RPH, RPD}

local function read_groups(at)
  local count = tonumber(ARGV[at])
  local groups = {}
  at = at + 1
  for i = 1, count do
    groups[i] = {prefix = ARGV[at], rpm = tonumber(ARGV[at + 1]), rph = tonumber(ARGV[at + 2]),
                 rpd = tonumber(ARGV[at + 3]), tpm = tonumber(ARGV[at + 4]), conc = tonumber(ARGV[at + 5]),
                 need_req = tonumber(ARGV[at + 6]), ahead_req = tonumber(ARGV[at + 7]),
                 need_tok = tonumber(ARGV[at + 8]), ahead_tok = tonumber(ARGV[at + 9]),
                 need_slots = tonumber(ARGV[at + 10]), ahead_slots = tonumber(ARGV[at + 11]),
                 took_req = 0, took_tok = 0, took_slots = 0,
                 req = {-1, -1, -1}, tok = {-1, -1, -1}}
    at = at + 12
  end
  return groups, at
end

-- The count still in a window, after dropping the buckets that left it ('low': every bucket below it is gone).
local function used(key, w)
  local current = math.floor(now / w[3])
  local first = current - past_buckets(w)
  local state = redis.call('HMGET', key, 'sum', 'low')
  local sum, low = tonumber(state[1]), tonumber(state[2])
  if not sum then
    return 0
  end
  if low < first then
    if first - low <= 64 then
      for bucket = low, first - 1 do
        local value = redis.call('HGET', key, bucket)
        if value then
          sum = sum - tonumber(value)
          redis.call('HDEL', key, bucket)
        end
      end
    else -- idle for long: look at what is there
      local all = redis.call('HGETALL', key)
      sum = 0
      for i = 1, #all, 2 do
        local bucket = tonumber(all[i])
        if bucket then
          if bucket < first then
            redis.call('HDEL', key, all[i])
          else
            sum = sum + tonumber(all[i + 1])
          end
        end
      end
    end
    redis.call('HSET', key, 'sum', sum, 'low', first)
  end
  return sum
end

-- ms until the oldest bucket still counted leaves the window (a whole window when it is empty).
local function reset(key, w)
  local current = math.floor(now / w[3])
  local first = current - past_buckets(w)
  local bucket = first
  while bucket <= current do
    local fields = {}
    for b = bucket, math.min(current, bucket + 63) do
      fields[#fields + 1] = b
    end
    local values = redis.call('HMGET', key, unpack(fields))
    for i, value in ipairs(values) do
      if value and tonumber(value) > 0 then
        return math.max(1, (fields[i] + past_buckets(w) + 1) * w[3] - now)
      end
    end
    bucket = bucket + 64
  end
  return w[2]
end

local function ahead(room, cap)
  return math.max(0, math.min(cap, math.floor(room / SHARE)))
end

-- nil when the group has room for what it needs (and notes what to take), else {limit name, limit, retry ms}.
local function check(g)
  if g.need_req > 0 then
    local room, tightest = nil, nil
    for _, w in ipairs(REQUEST_WINDOWS) do
      local limit = g[w[1]]
      if limit >= 0 then
        local key = g.prefix .. ':w:' .. w[1]
        local count = used(key, w)
        if count + g.need_req > limit then
          return {w[1], limit, reset(key, w)}
        end
        if room == nil or limit - count < room then
          room, tightest = limit - count, {limit, key, w}
        end
      end
    end
    if room then
      g.took_req = g.need_req + ahead(room - g.need_req, g.ahead_req)
      g.req = {tightest[1], room - g.took_req, tightest[2], tightest[3]}
    end
  end
  if g.need_tok > 0 and g.tpm >= 0 then
    local key = g.prefix .. ':w:tpm'
    local count = used(key, TOKENS)
    -- a request larger than the whole limit still goes when the window is empty
    if count > 0 and count + g.need_tok > g.tpm then
      return {'tpm', g.tpm, reset(key, TOKENS)}
    end
    local room = math.max(0, g.tpm - count - g.need_tok)
    g.took_tok = g.need_tok + ahead(room, g.ahead_tok)
    g.tok = {g.tpm, g.tpm - count - g.took_tok, key, TOKENS}
  end
  if g.need_slots > 0 and g.conc >= 0 then
    local key = g.prefix .. ':s'
    local expiries = key .. ':exp'
    local gone = redis.call('ZRANGEBYSCORE', expiries, '-inf', now)
    if #gone > 0 then
      redis.call('HDEL', key, unpack(gone))
      redis.call('ZREMRANGEBYSCORE', expiries, '-inf', now)
    end
    local held = 0
    for _, count in ipairs(redis.call('HVALS', key)) do
      held = held + tonumber(count)
    end
    if held + g.need_slots > g.conc then
      return {'concurrency', g.conc, 1000}
    end
    g.took_slots = g.need_slots + ahead(g.conc - held - g.need_slots, g.ahead_slots)
  end
  return nil
end

-- A slot hash lives as long as its longest lease (routers may be configured with different lease lives).
local function extend(key, ms)
  if redis.call('PTTL', key) < ms then
    redis.call('PEXPIRE', key, ms)
  end
end

local function record(g)
  if g.took_req > 0 then
    for _, w in ipairs(REQUEST_WINDOWS) do
      if g[w[1]] >= 0 then
        add(g.prefix .. ':w:' .. w[1], w, g.took_req)
      end
    end
  end
  if g.took_tok > 0 then
    add(g.prefix .. ':w:tpm', TOKENS, g.took_tok)
  end
  if g.took_slots > 0 then
    local key = g.prefix .. ':s'
    redis.call('HINCRBY', key, lease_id, g.took_slots)
    redis.call('ZADD', key .. ':exp', now + lease_ms, lease_id)
    extend(key, lease_ms)
    extend(key .. ':exp', lease_ms)
  end
end

-- the 9 values of a group in the answer; resets are looked up only once admitted
local function report(out, g)
  out[#out + 1] = g.took_req
  out[#out + 1] = g.took_tok
  out[#out + 1] = g.took_slots
  for _, view in ipairs({g.req, g.tok}) do
    out[#out + 1] = view[1]
    out[#out + 1] = view[2]
    out[#out + 1] = view[1] >= 0 and reset(view[3], view[4]) or -1
  end
end

local mandatory, at = read_groups(3)
local channels = read_groups(at)

for i, g in ipairs(mandatory) do
  local full = check(g)
  if full then
    return {0, i, full[1], full[2], full[3]}
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

for _, g in ipairs(mandatory) do
  record(g)
end
if chosen > 0 then
  record(channels[chosen])
end
local out = {1, now, chosen}
for _, g in ipairs(mandatory) do
  report(out, g)
end
if chosen > 0 then
  report(out, channels[chosen])
end
return out
