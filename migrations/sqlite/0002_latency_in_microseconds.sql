-- Usage latency in microseconds instead of milliseconds, as in
-- migrations/postgres/0002_latency_in_microseconds.sql.
--
-- SQLite adds a NOT NULL column only with a default, so latency_us keeps DEFAULT 0 here (the
-- origin always writes it; dropping the default would mean rebuilding the table). DROP COLUMN
-- needs SQLite 3.35, which sqlx bundles.

ALTER TABLE usage_logs ADD COLUMN latency_us INTEGER NOT NULL DEFAULT 0 CHECK (latency_us >= 0);
UPDATE usage_logs SET latency_us = latency_ms * 1000;
ALTER TABLE usage_logs DROP COLUMN latency_ms;

DROP INDEX api_keys_active;
