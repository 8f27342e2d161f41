-- After requests: replaces each one's token estimate with its real count and frees its
-- concurrency slots. Many requests per call (the router batches finishes): ARGV is, per
-- request, its id, its real tokens, the number of scopes it held, then those scopes: each its
-- prefix led by one letter saying what it holds there (t: a token estimate, c: a concurrency
-- slot, b: both), so nothing is asked of a window the scope does not keep.

local at = 1
local finished = 0
while at <= #ARGV do
  local id = ARGV[at]
  local real = tonumber(ARGV[at + 1])
  local held = tonumber(ARGV[at + 2])
  for i = at + 3, at + 2 + held do
    local holds = string.sub(ARGV[i], 1, 1)
    local prefix = string.sub(ARGV[i], 2)
    if holds ~= 'c' then
      local log = prefix .. ':tpm'
      local estimate = tonumber(redis.call('HGET', log .. ':tokens', id))
      if estimate then
        redis.call('HSET', log .. ':tokens', id, real)
        redis.call('INCRBY', log .. ':sum', real - estimate)
      end
    end
    if holds ~= 't' then
      redis.call('ZREM', prefix .. ':conc', id)
    end
  end
  at = at + 3 + held
  finished = finished + 1
end
return finished
