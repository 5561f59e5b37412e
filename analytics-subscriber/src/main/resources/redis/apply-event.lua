-- Applies one event to the hourly and daily aggregates, at most once: the dedupe mark and every
-- effect happen in this one script, which Redis runs atomically. A redelivered or replayed event
-- finds its mark and changes nothing.
--
-- KEYS[1]      the event's mark
-- KEYS[2..6]   hour bucket: events, customers, sales, revenue, top
-- KEYS[7..11]  day bucket:  the same
-- ARGV[1] type  ARGV[2] userId  ARGV[3] hour expiry  ARGV[4] day expiry (epoch seconds)
-- ARGV[5] product ('' when the event is not a sale)  ARGV[6] currency  ARGV[7] units
-- ARGV[8] revenue (ten-thousandths)  ARGV[9] 'purchases' or 'refunds'
if not redis.call('SET', KEYS[1], '1', 'NX', 'EXAT', ARGV[4]) then
  return 0
end
for b = 0, 1 do
  local at = ARGV[3 + b]
  local k = 2 + b * 5
  redis.call('HINCRBY', KEYS[k], ARGV[1], 1)
  redis.call('EXPIREAT', KEYS[k], at)
  redis.call('PFADD', KEYS[k + 1], ARGV[2])
  redis.call('EXPIREAT', KEYS[k + 1], at)
  if ARGV[5] ~= '' then
    local line = ARGV[5] .. '|' .. ARGV[6] .. '|'
    redis.call('HINCRBY', KEYS[k + 2], line .. ARGV[9], 1)
    redis.call('HINCRBY', KEYS[k + 2], line .. 'units', ARGV[7])
    redis.call('HINCRBY', KEYS[k + 2], line .. 'revenue', ARGV[8])
    redis.call('EXPIREAT', KEYS[k + 2], at)
    local currency = ARGV[6] .. '|'
    redis.call('HINCRBY', KEYS[k + 3], currency .. ARGV[9], 1)
    redis.call('HINCRBY', KEYS[k + 3], currency .. 'units', ARGV[7])
    redis.call('HINCRBY', KEYS[k + 3], currency .. 'revenue', ARGV[8])
    redis.call('EXPIREAT', KEYS[k + 3], at)
    redis.call('ZINCRBY', KEYS[k + 4], ARGV[7], ARGV[5])
    redis.call('EXPIREAT', KEYS[k + 4], at)
  end
end
return 1
