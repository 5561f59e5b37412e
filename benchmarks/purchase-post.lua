-- wrk script: POST /purchases as many customers (one token each, round robin), since one
-- customer's purchases are serialised on purpose (per-customer order); prints one parsable line.
local tokens = {}
for line in io.lines(os.getenv("BENCH_TOKENS")) do
  tokens[#tokens + 1] = line
end
local body = '{"productId":"bench-product","quantity":2,"unitPrice":19.99,"currency":"EUR"}'
local n = math.random(#tokens)

function request()
  n = n % #tokens + 1
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. tokens[n],
  }, body)
end

-- BENCH_DELAY_MS paces each connection, for a phase at a fixed rate instead of flat out.
local pause = tonumber(os.getenv("BENCH_DELAY_MS") or "0")
if pause > 0 then
  function delay()
    return pause
  end
end

function done(summary, latency, requests)
  io.write(string.format("RESULT rps=%.1f p50_ms=%.2f p99_ms=%.2f requests=%d non2xx=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.requests, summary.errors.status))
end
