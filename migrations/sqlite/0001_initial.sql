-- The first schema of Noesis on SQLite (DESIGN.md §5): the same tables, columns, constraints and
-- indexes as migrations/postgres/0001_initial.sql, in SQLite's types. origin/tests/storage.rs
-- checks that both name the same tables and columns.
--
-- SQLite has no UUID or TIMESTAMPTZ: ids are lowercase hyphenated UUID text, and instants are
-- UTC text of one fixed width, 'YYYY-MM-DDTHH:MM:SS.ffffffZ', so text order is time order and
-- SQLite's date functions read them. Booleans are 0 and 1.

CREATE TABLE users (
    id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
    email TEXT NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    tier TEXT NOT NULL CHECK (tier IN ('free', 'premium', 'enterprise')),
    created_at TEXT NOT NULL
);
-- One account per address, whatever its case. (SQLite's lower() folds ASCII only.)
CREATE UNIQUE INDEX users_email_unique ON users (lower(email));
CREATE INDEX users_created_at ON users (created_at, id);

CREATE TABLE api_keys (
    id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
    user_id TEXT NOT NULL REFERENCES users (id),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    key_hash TEXT NOT NULL UNIQUE CHECK (length(key_hash) = 64),
    prefix TEXT NOT NULL CHECK (length(prefix) BETWEEN 1 AND 16),
    tier TEXT NOT NULL CHECK (tier IN ('free', 'premium', 'enterprise')),
    consciousness_level INTEGER NOT NULL CHECK (consciousness_level BETWEEN 0 AND 5),
    scopes TEXT NOT NULL,
    rate_limit_per_minute INTEGER NOT NULL CHECK (rate_limit_per_minute > 0),
    created_at TEXT NOT NULL,
    expires_at TEXT,
    revoked_at TEXT,
    revoked_reason TEXT,
    last_used_at TEXT,
    rotated_from TEXT REFERENCES api_keys (id)
);
CREATE INDEX api_keys_created_at ON api_keys (created_at, id);
CREATE INDEX api_keys_user_id ON api_keys (user_id, created_at, id);
CREATE INDEX api_keys_active ON api_keys (created_at, id) WHERE revoked_at IS NULL;

CREATE TABLE api_key_events (
    id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
    key_id TEXT NOT NULL REFERENCES api_keys (id),
    kind TEXT NOT NULL CHECK (kind IN ('create', 'revoke', 'rotate')),
    actor TEXT NOT NULL CHECK (length(actor) BETWEEN 1 AND 200),
    reason TEXT,
    at TEXT NOT NULL
);
CREATE INDEX api_key_events_key_id ON api_key_events (key_id, at);

CREATE TABLE usage_logs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    key_id TEXT,
    user_id TEXT,
    route TEXT NOT NULL,
    engine_id TEXT,
    workflow_id TEXT,
    status INTEGER NOT NULL CHECK (status BETWEEN 100 AND 599),
    latency_ms INTEGER NOT NULL CHECK (latency_ms >= 0),
    cache_hit INTEGER NOT NULL CHECK (cache_hit IN (0, 1)),
    served_by TEXT NOT NULL CHECK (served_by IN ('edge', 'origin')),
    request_id TEXT NOT NULL
);
CREATE INDEX usage_logs_at ON usage_logs (at);
CREATE INDEX usage_logs_key_id_at ON usage_logs (key_id, at);
CREATE INDEX usage_logs_user_id_at ON usage_logs (user_id, at);

CREATE TABLE idempotency_keys (
    key TEXT PRIMARY KEY NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    request_hash TEXT NOT NULL CHECK (length(request_hash) = 64),
    response_status INTEGER NOT NULL CHECK (response_status BETWEEN 100 AND 599),
    response_body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX idempotency_keys_expires_at ON idempotency_keys (expires_at);
