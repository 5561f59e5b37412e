-- wrk script: POST /purchases with a bearer token; prints latency percentiles as one parsable line.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
wrk.body = '{"productId":"bench-product","quantity":2,"unitPrice":19.99,"currency":"EUR"}'

function done(summary, latency, requests)
  local non2xx = summary.errors.status
  io.write(string.format("RESULT rps=%.1f p50_ms=%.2f p99_ms=%.2f requests=%d non2xx=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.requests, non2xx))
end
