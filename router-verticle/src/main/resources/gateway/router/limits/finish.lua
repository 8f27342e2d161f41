-- What routers give back or correct after requests, many at once (RateLimiter batches them). ARGV is
-- a list of operations of 5 values each: kind, scope prefix, then
--   r  taken at (ms), requests, request windows kept ('m', 'h', 'd' in any mix): requests taken
--      ahead and not used go back to the bucket they were counted in, if it is still in its window;
--   t  at (ms), tokens, unused: a token correction; tokens > 0 were used beyond what was counted and
--      go into the current bucket, tokens < 0 were counted and not used and come off the bucket of 'at';
--   s  lease id, slots, lease ms: the router's lease gives back that many slots (0: only renews it).
-- Every change is relative, so operations that cross an admission on another connection commute.

local WINDOWS = {m = RPM, h = RPH, d = RPD}

local function give_back(key, w, at, n)
  local bucket = math.floor(at / w[3])
  if bucket < math.floor(now / w[3]) - past_buckets(w) then
    return -- already out of the window
  end
  local value = tonumber(redis.call('HGET', key, bucket))
  if value then
    local back = math.min(n, value)
    redis.call('HINCRBY', key, bucket, -back)
    redis.call('HINCRBY', key, 'sum', -back)
  end
end

local done = 0
for at = 1, #ARGV - 4, 5 do
  local kind, prefix = ARGV[at], ARGV[at + 1]
  if kind == 'r' then
    local taken, requests, windows = tonumber(ARGV[at + 2]), tonumber(ARGV[at + 3]), ARGV[at + 4]
    for i = 1, #windows do
      local w = WINDOWS[string.sub(windows, i, i)]
      give_back(prefix .. ':w:' .. w[1], w, taken, requests)
    end
  elseif kind == 't' then
    local taken, tokens = tonumber(ARGV[at + 2]), tonumber(ARGV[at + 3])
    if tokens > 0 then
      add(prefix .. ':w:tpm', TOKENS, tokens)
    elseif tokens < 0 then
      give_back(prefix .. ':w:tpm', TOKENS, taken, -tokens)
    end
  elseif kind == 's' then
    local lease, slots, life = ARGV[at + 2], tonumber(ARGV[at + 3]), tonumber(ARGV[at + 4])
    local key = prefix .. ':s'
    local left = tonumber(redis.call('HINCRBY', key, lease, -slots))
    if left <= 0 then
      redis.call('HDEL', key, lease)
      redis.call('ZREM', key .. ':exp', lease)
    else
      redis.call('ZADD', key .. ':exp', now + life, lease)
      for _, k in ipairs({key, key .. ':exp'}) do
        if redis.call('PTTL', k) < life then -- the hash lives as long as its longest lease
          redis.call('PEXPIRE', k, life)
        end
      end
    end
  end
  done = done + 1
end
return done
