-- The first schema of Noesis on Postgres (DESIGN.md §5): the owners of keys, the keys, their
-- audit trail, the usage log and the idempotency records. migrations/sqlite/0001_initial.sql is
-- the same schema for SQLite; origin/tests/storage.rs checks that both name the same tables and
-- columns. Instants are TIMESTAMPTZ; the origin writes them at microsecond precision in UTC.

CREATE TABLE users (
    id UUID PRIMARY KEY,
    email TEXT NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    tier TEXT NOT NULL CHECK (tier IN ('free', 'premium', 'enterprise')),
    created_at TIMESTAMPTZ NOT NULL
);
-- One account per address, whatever its case: "Asha@Example.com" is "asha@example.com".
CREATE UNIQUE INDEX users_email_unique ON users (lower(email));
CREATE INDEX users_created_at ON users (created_at, id);

CREATE TABLE api_keys (
    id UUID PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES users (id),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    -- SHA-256 of the whole key, lowercase hex. The key itself is never stored.
    key_hash TEXT NOT NULL UNIQUE CHECK (length(key_hash) = 64),
    -- The first 12 characters of the key (nk_live_XXXX), for listings.
    prefix TEXT NOT NULL CHECK (length(prefix) BETWEEN 1 AND 16),
    tier TEXT NOT NULL CHECK (tier IN ('free', 'premium', 'enterprise')),
    consciousness_level INTEGER NOT NULL CHECK (consciousness_level BETWEEN 0 AND 5),
    -- Space-separated scope names, e.g. 'engines workflows'.
    scopes TEXT NOT NULL,
    rate_limit_per_minute INTEGER NOT NULL CHECK (rate_limit_per_minute > 0),
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ,
    revoked_at TIMESTAMPTZ,
    revoked_reason TEXT,
    last_used_at TIMESTAMPTZ,
    -- The key this one replaced by rotation.
    rotated_from UUID REFERENCES api_keys (id)
);
-- Listings: newest first, paged by (created_at, id); by owner.
CREATE INDEX api_keys_created_at ON api_keys (created_at, id);
CREATE INDEX api_keys_user_id ON api_keys (user_id, created_at, id);
-- The edge's allow-list reads the keys not revoked.
CREATE INDEX api_keys_active ON api_keys (created_at, id) WHERE revoked_at IS NULL;

CREATE TABLE api_key_events (
    id UUID PRIMARY KEY,
    key_id UUID NOT NULL REFERENCES api_keys (id),
    kind TEXT NOT NULL CHECK (kind IN ('create', 'revoke', 'rotate')),
    -- Who did it: an admin key id, 'bootstrap', 'cli', ...
    actor TEXT NOT NULL CHECK (length(actor) BETWEEN 1 AND 200),
    reason TEXT,
    at TIMESTAMPTZ NOT NULL
);
CREATE INDEX api_key_events_key_id ON api_key_events (key_id, at);

CREATE TABLE usage_logs (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at TIMESTAMPTZ NOT NULL,
    -- No foreign keys: usage arrives in batches from the edge and must never be refused
    -- because a key or user row is missing or gone.
    key_id UUID,
    user_id UUID,
    route TEXT NOT NULL,
    engine_id TEXT,
    workflow_id TEXT,
    status INTEGER NOT NULL CHECK (status BETWEEN 100 AND 599),
    latency_ms INTEGER NOT NULL CHECK (latency_ms >= 0),
    cache_hit BOOLEAN NOT NULL,
    served_by TEXT NOT NULL CHECK (served_by IN ('edge', 'origin')),
    request_id TEXT NOT NULL
);
-- The usage report: a time window, then per key or per user within it.
CREATE INDEX usage_logs_at ON usage_logs (at);
CREATE INDEX usage_logs_key_id_at ON usage_logs (key_id, at);
CREATE INDEX usage_logs_user_id_at ON usage_logs (user_id, at);

CREATE TABLE idempotency_keys (
    key TEXT PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 255),
    -- SHA-256 of the request (method, path, body), lowercase hex: a replay with another body
    -- under the same key is refused rather than answered with the first response.
    request_hash TEXT NOT NULL CHECK (length(request_hash) = 64),
    response_status INTEGER NOT NULL CHECK (response_status BETWEEN 100 AND 599),
    response_body TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX idempotency_keys_expires_at ON idempotency_keys (expires_at);
