-- wrk script for bench/load.py: optional rotation over many paths, and a JSON summary line at the end.
-- PATHS_FILE (environment): one path per line, requested in turn; each of the WRK_THREADS threads starts
-- at its own share of the list.
local paths = {}
local counter = 0
local threads_set_up = 0

-- Runs in the main state once per thread, before the threads start: each gets its own index.
function setup(thread)
  thread:set("index", threads_set_up)
  threads_set_up = threads_set_up + 1
end

function init(args)
  local file = os.getenv("PATHS_FILE")
  if file and file ~= "" then
    for line in io.lines(file) do
      if line ~= "" then table.insert(paths, line) end
    end
    -- Each thread starts its own share of the list (an unseeded math.random gives every thread the same
    -- start, so the threads would ask for the same path at the same moment).
    counter = math.floor(index * #paths / tonumber(os.getenv("WRK_THREADS") or "1"))
  end
end

function request()
  if #paths == 0 then
    return wrk.format(nil)
  end
  counter = counter % #paths + 1
  return wrk.format(nil, paths[counter])
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'JSON {"requests": %d, "seconds": %.3f, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, ' ..
    '"non_2xx_3xx": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    errors.status, errors.connect + errors.read + errors.write + errors.timeout))
end
