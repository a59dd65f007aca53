-- The SQLite side of migrations/postgres/0003_usage_dashboard_statistics.sql, which declares
-- planner statistics on the expressions the usage dashboard queries group by. SQLite has no
-- statistics on expressions and the dashboard runs on Postgres only; the nearest equivalent is
-- to gather the table's statistics for its query planner (into sqlite_stat1), which this does.
-- No table, column or index changes on either database.

ANALYZE usage_logs;
