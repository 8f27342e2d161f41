-- After a request: replaces its token estimate with the real count and frees its
-- concurrency slots. ARGV: request id, real tokens, then prefixes of the scopes it held.

local id = ARGV[1]
local real = tonumber(ARGV[2])
for i = 3, #ARGV do
  local log = ARGV[i] .. ':tpm'
  local estimate = tonumber(redis.call('HGET', log .. ':tokens', id))
  if estimate then
    redis.call('HSET', log .. ':tokens', id, real)
    redis.call('INCRBY', log .. ':sum', real - estimate)
  end
  redis.call('ZREM', ARGV[i] .. ':conc', id)
end
return 1
