-- Usage latency in microseconds instead of milliseconds: answers from a cache take well under
-- 1 ms and all rounded to 0. Existing rows keep their value, scaled (1 ms = 1000 µs).
-- migrations/sqlite/0002_latency_in_microseconds.sql is the same change for SQLite.

ALTER TABLE usage_logs ADD COLUMN latency_us BIGINT;
UPDATE usage_logs SET latency_us = latency_ms::BIGINT * 1000;
ALTER TABLE usage_logs
    ALTER COLUMN latency_us SET NOT NULL,
    ADD CONSTRAINT usage_logs_latency_us_check CHECK (latency_us >= 0),
    DROP COLUMN latency_ms;

-- No query reads keys "not revoked" any more: a revoked_at in the future is a revocation
-- scheduled by a rotation, and the key works until then, so the allow-list asks for
-- revoked_at IS NULL OR revoked_at > now, which this partial index cannot answer. It only cost
-- writes.
DROP INDEX api_keys_active;
