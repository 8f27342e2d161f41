-- The start of both limiter scripts (LimitScript puts it before each): Redis' clock and the windows, each
-- {name, window ms, bucket ms}, kept as counters in buckets, one hash per window with a running sum ('sum')
-- and the lowest bucket still there ('low'). A window counts its current bucket and as many past ones as cover
-- one window plus one bucket.

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local RPM, RPH, RPD = {'rpm', 60000, 1000}, {'rph', 3600000, 60000}, {'rpd', 86400000, 60000}
local TOKENS = {'tpm', 60000, 1000}

local function past_buckets(w)
  return w[2] / w[3] + 1
end

local function add(key, w, n)
  local current = math.floor(now / w[3])
  redis.call('HINCRBY', key, current, n)
  redis.call('HINCRBY', key, 'sum', n)
  redis.call('HSETNX', key, 'low', current)
  redis.call('PEXPIRE', key, (past_buckets(w) + 2) * w[3])
end
