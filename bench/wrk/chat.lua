-- wrk script for the gateway benchmark: POSTs one OpenAI chat request per call.
-- Script arguments (after "--"): <api key> <stream: true|false> [model]
-- (with BENCH_KEYS set, its keys replace the first argument).
-- Environment: BENCH_DELAY_MS > 0 makes each connection wait that long after every response
-- (a fixed low rate: the "unloaded" latency). Read when the script loads, because wrk decides
-- whether a script paces its requests before init() runs.
-- Prints one machine-readable line at the end:
--   RESULT requests=N duration_us=N rps=N p50_us=N p90_us=N p99_us=N max_us=N non2xx=N socket_errors=N
-- Latency is wrk's: from writing the request to reading the whole response (for a stream, its last event).

local delay_ms = tonumber(os.getenv("BENCH_DELAY_MS") or "0") or 0
-- BENCH_KEYS: several API keys separated by commas, used in turn (spreads the load over
-- several accounts); with one key (or none) the request is built once and never touched.
local keys = {}
for k in string.gmatch(os.getenv("BENCH_KEYS") or "", "[^,]+") do keys[#keys + 1] = k end

function init(args)
  local key = args[1] or "none"
  local stream = args[2] == "true"
  local model = args[3] or "bench-model"
  wrk.method = "POST"
  wrk.path = "/v1/chat/completions"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. key
  local body = '{"model":"' .. model .. '","messages":[{"role":"system","content":"You are a terse assistant."},'
      .. '{"role":"user","content":"Say hello to the benchmark in five words."}],"max_tokens":64'
  if stream then
    body = body .. ',"stream":true,"stream_options":{"include_usage":true}'
  end
  wrk.body = body .. '}'
end

if #keys > 1 then
  local requests = {}
  local n = 0
  local function build()
    for i, k in ipairs(keys) do
      wrk.headers["Authorization"] = "Bearer " .. k
      requests[i] = wrk.format()
    end
  end
  -- a request() function makes wrk ask for every request; they are formatted once, here
  function request()
    if n == 0 then build() end
    n = n + 1
    return requests[(n % #keys) + 1]
  end
end

if delay_ms > 0 then
  -- only when asked for: any delay() function, even one returning 0, sends every request through a timer
  function delay()
    return delay_ms
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d duration_us=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d mean_us=%.1f non2xx=%d socket_errors=%d\n",
    summary.requests, summary.duration, summary.requests / seconds,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    e.status, e.connect + e.read + e.write + e.timeout))
end
