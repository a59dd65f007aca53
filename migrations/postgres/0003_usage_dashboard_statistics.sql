-- Planner statistics for the usage dashboard queries (docs/queries/usage.sql). They group a
-- window of usage_logs by UTC day and by a 2 %-wide latency bucket; with no statistics on those
-- expressions Postgres assumes as many groups as rows, and sorts the whole window instead of
-- aggregating it in a small hash table (seconds instead of a fraction of one on a million rows;
-- docs/benchmarks.md). An index would not help: the queries read every row of their window.
-- The expressions must stay identical to the ones in the queries, or the planner ignores these.
-- migrations/sqlite/0003_usage_dashboard_statistics.sql is the SQLite side: statistics only.

CREATE STATISTICS usage_logs_day ON (date_bin('1 day', at, TIMESTAMPTZ '2000-01-01 00:00:00+00'))
    FROM usage_logs;
CREATE STATISTICS usage_logs_latency_bucket ON ((floor(ln(greatest(latency_us, 1)) * 50)::int))
    FROM usage_logs;
-- Fills them now rather than at autovacuum's next pass (a sample of the table: quick even when
-- it is large).
ANALYZE usage_logs;
