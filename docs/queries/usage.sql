-- Usage dashboard queries for the production database (Postgres; the schema of
-- migrations/postgres/). Paste any one into the Supabase SQL editor or a dashboard tool, or run
-- them all: psql "$DATABASE_URL" -f docs/queries/usage.sql
--
-- Each covers the last 30 days (edit the interval for another window). One row of usage_logs is
-- one request that carried a key, served by the edge (cache hits included) or by the origin.
-- Latency is stored in microseconds (usage_logs.latency_us) and shown in milliseconds. Error
-- rate means 5xx answers over all requests, as the admin usage report (GET /api/v1/admin/usage)
-- computes it; 4xx are the callers' mistakes and are shown apart.
--
-- Speed (docs/benchmarks.md): each query reads the window once and aggregates into a hash
-- table, never sorting the rows themselves, so a million rows cost well under a second.
-- - p95 comes from a latency histogram with buckets 2 % wide (bucket b holds latencies from
--   e^(b/50) to e^((b+1)/50) µs) and is reported as the upper edge of the bucket holding the
--   nearest-rank 95th percentile: never below the exact value and at most 2 % above it. Exact
--   percentiles need a sort of every row in the window (percentile_disc), several seconds on a
--   million; the admin usage report gives exact ones for its (narrower) windows.
-- - Grouping by day or by latency bucket needs the planner to know how few groups there are;
--   migration 0003 declares statistics on exactly these two expressions (keep them identical:
--   date_bin('1 day', at, TIMESTAMPTZ '2000-01-01 00:00:00+00') and
--   floor(ln(greatest(latency_us, 1)) * 50)::int). Without them Postgres expects a group per row
--   and sorts.
--
-- Each query starts with a `-- name:` line: scripts/usage-queries-bench runs them by that name
-- under EXPLAIN (ANALYZE, BUFFERS) on a million generated rows.

-- name: requests_per_user
-- Requests per user (the owners of keys), most active first, with their error and cache figures.
WITH per_user AS (
    SELECT user_id,
           count(*) AS requests,
           count(*) FILTER (WHERE status >= 500) AS server_errors,
           count(*) FILTER (WHERE status BETWEEN 400 AND 499) AS client_errors,
           count(*) FILTER (WHERE cache_hit) AS cache_hits,
           max(at) AS last_request_at
    FROM usage_logs
    WHERE at >= now() - interval '30 days'
    GROUP BY user_id
)
SELECT per_user.user_id, users.email, users.tier, requests, client_errors, server_errors,
       round(100.0 * cache_hits / requests, 1) AS cache_hit_pct, last_request_at
FROM per_user
LEFT JOIN users ON users.id = per_user.user_id
ORDER BY requests DESC, per_user.user_id
LIMIT 100;

-- name: top_engines
-- The engines by requests, with each one's share of all engine requests, its average latency
-- and its p95 (from the 2 % histogram, see above).
WITH histogram AS (
    SELECT engine_id, floor(ln(greatest(latency_us, 1)) * 50)::int AS bucket,
           count(*) AS n, sum(latency_us) AS total_us
    FROM usage_logs
    WHERE at >= now() - interval '30 days' AND engine_id IS NOT NULL
    GROUP BY 1, 2
), cumulative AS (
    SELECT engine_id, bucket, n, total_us,
           sum(n) OVER (PARTITION BY engine_id ORDER BY bucket) AS at_or_below,
           sum(n) OVER (PARTITION BY engine_id) AS requests
    FROM histogram
)
SELECT engine_id,
       max(requests) AS requests,
       round(100.0 * max(requests) / sum(max(requests)) OVER (), 1) AS share_pct,
       round(sum(total_us) / max(requests) / 1000.0, 3) AS avg_ms,
       round(exp((min(bucket) FILTER (WHERE at_or_below >= ceil(0.95 * requests)) + 1) / 50.0)::numeric
             / 1000, 3) AS p95_ms
FROM cumulative
GROUP BY engine_id
ORDER BY requests DESC, engine_id;

-- name: latency_by_route
-- Average and p95 latency per route pattern (/api/v1/engines/{id}/calculate,
-- /api/v1/workflows/{id}/execute, /api/v1/me, ...), at the edge and at the origin apart: a cache
-- hit at the edge and a workflow at the origin are different animals, one average of both says
-- little.
WITH histogram AS (
    SELECT served_by, route, floor(ln(greatest(latency_us, 1)) * 50)::int AS bucket,
           count(*) AS n, sum(latency_us) AS total_us
    FROM usage_logs
    WHERE at >= now() - interval '30 days'
    GROUP BY 1, 2, 3
), cumulative AS (
    SELECT served_by, route, bucket, n, total_us,
           sum(n) OVER (PARTITION BY served_by, route ORDER BY bucket) AS at_or_below,
           sum(n) OVER (PARTITION BY served_by, route) AS requests
    FROM histogram
)
SELECT served_by, route,
       max(requests) AS requests,
       round(sum(total_us) / max(requests) / 1000.0, 3) AS avg_ms,
       round(exp((min(bucket) FILTER (WHERE at_or_below >= ceil(0.95 * requests)) + 1) / 50.0)::numeric
             / 1000, 3) AS p95_ms
FROM cumulative
GROUP BY served_by, route
ORDER BY served_by, requests DESC, route;

-- name: error_rate_by_day
-- The error rate per UTC day: 5xx (ours) and 4xx (the callers'), as percentages of all requests.
SELECT date_bin('1 day', at, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS day,
       count(*) AS requests,
       count(*) FILTER (WHERE status >= 500) AS server_errors,
       round(100.0 * count(*) FILTER (WHERE status >= 500) / count(*), 3) AS error_rate_pct,
       round(100.0 * count(*) FILTER (WHERE status BETWEEN 400 AND 499) / count(*), 3) AS client_error_pct
FROM usage_logs
WHERE at >= now() - interval '30 days'
GROUP BY 1
ORDER BY 1;

-- name: cache_hit_rate
-- The cache hit rate of successful engine calculations, per engine at each tier that caches
-- (the edge's Cache API, the origin's result cache), with each tier's overall rate beside it.
WITH per_engine AS (
    SELECT served_by, engine_id,
           count(*) AS requests,
           count(*) FILTER (WHERE cache_hit) AS cache_hits
    FROM usage_logs
    WHERE at >= now() - interval '30 days' AND engine_id IS NOT NULL AND status < 400
    GROUP BY 1, 2
)
SELECT served_by, engine_id, requests, cache_hits,
       round(100.0 * cache_hits / requests, 1) AS cache_hit_pct,
       round(100.0 * sum(cache_hits) OVER tier / sum(requests) OVER tier, 1) AS tier_cache_hit_pct
FROM per_engine
WINDOW tier AS (PARTITION BY served_by)
ORDER BY served_by, requests DESC, engine_id;
