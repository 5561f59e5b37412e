-- Applies one event to the hourly and daily aggregates, at most once, in one script that Redis
-- runs atomically. Two guards, both written by this same script:
--  * the position: the last offset applied per partition. A replay or a redelivery after a
--    crash or a rebalance reads offsets at or below it and changes nothing; it costs one hash
--    field per partition, however long the history.
--  * the mark: a key per eventId, kept for the dedupe window, for the same event published twice
--    (an at-least-once publisher retrying) at a new offset.
-- The guards are written before the effects: a script that failed half-way (only possible if
-- something else wrote these keys) could under-count, never count twice. A sale that would take
-- a units or revenue total past what Redis's 64-bit integers hold is refused first (-1), before
-- anything is written: HINCRBY would fail half-way through the effects.
--
-- KEYS[1]      the event's mark        KEYS[2]  positions (hash: partition -> offset)
-- KEYS[3..7]   hour bucket: events, customers, sales, revenue, top
-- KEYS[8..12]  day bucket:  the same
-- ARGV[1] type  ARGV[2] userId  ARGV[3] hour expiry  ARGV[4] day expiry (epoch seconds)
-- ARGV[5] product ('' when the event is not a sale)  ARGV[6] currency  ARGV[7] units
-- ARGV[8] revenue (ten-thousandths)  ARGV[9] 'purchases' or 'refunds'
-- ARGV[10] partition  ARGV[11] offset  ARGV[12] dedupe window (seconds)
local applied = redis.call('HGET', KEYS[2], ARGV[10])
if applied and tonumber(ARGV[11]) <= tonumber(applied) then
  return 0
end
if ARGV[5] ~= '' then
  -- Compared as doubles, with a margin far wider than their rounding: 9e18 < 2^63 - 1.
  local limit = 9.0e18
  for b = 0, 1 do
    local k = 3 + b * 5
    for _, total in ipairs({{KEYS[k + 2], ARGV[5] .. '|' .. ARGV[6] .. '|'}, {KEYS[k + 3], ARGV[6] .. '|'}}) do
      for _, add in ipairs({{'units', ARGV[7]}, {'revenue', ARGV[8]}}) do
        local now = tonumber(redis.call('HGET', total[1], total[2] .. add[1]) or '0')
        if math.abs(now + tonumber(add[2])) > limit then
          return -1
        end
      end
    end
  end
end
redis.call('HSET', KEYS[2], ARGV[10], ARGV[11])
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[12]) then
  return 0
end
for b = 0, 1 do
  local at = ARGV[3 + b]
  local k = 3 + b * 5
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
