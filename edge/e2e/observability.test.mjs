// End to end: what the edge Worker reports, received by a local Node HTTP server standing in for
// Sentry (`POST /api/<project>/envelope/`) and PostHog (`POST /batch/`), parsed exactly as those
// services would parse it; and the edge's counters, visible on the origin's /metrics. Run with
// `node --test edge/e2e/observability.test.mjs` after `. scripts/edge-tools` (edge/e2e/harness.mjs).
// The last test stops the origin to make the edge answer 503 for a forwarded workflow call.

import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';

import { freePort, startStack } from './harness.mjs';

const METRICS_TOKEN = 'e2e-metrics-token-0123456789abcdef0123';
const POSTHOG_KEY = 'phc_e2e_project_key';
const BIRTH = {
  name: 'Asha Rao',
  date: '1991-08-13',
  time: '13:31',
  timezone: 'Asia/Kolkata',
  latitude: 12.9716,
  longitude: 77.5946,
};

/** A stand-in for Sentry and PostHog: keeps every request's path, headers and raw body. */
function startCollector(port) {
  const received = [];
  const server = http.createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ path: request.url, headers: request.headers, body: Buffer.concat(chunks) });
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"status":1}');
    });
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve({ server, received })));
}

/** Sentry's envelope format: a header line, then item header and payload lines. */
function parseEnvelope(body) {
  const lines = body.toString('utf8').split('\n').filter((line) => line !== '');
  const header = JSON.parse(lines[0]);
  const items = [];
  for (let i = 1; i < lines.length; i += 2) {
    const itemHeader = JSON.parse(lines[i]);
    assert.equal(Buffer.byteLength(lines[i + 1]), itemHeader.length, 'the item length is its payload length');
    items.push({ header: itemHeader, payload: JSON.parse(lines[i + 1]) });
  }
  return { header, items };
}

async function waitFor(what, check, seconds = 20) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

let stack;
let collector;
let key;
let collectorPort;

before(async () => {
  const port = await freePort();
  collectorPort = port;
  collector = await startCollector(port);
  stack = await startStack({
    edgeVars: {
      SENTRY_DSN: `http://e2epublickey@127.0.0.1:${port}/7`,
      SENTRY_ENVIRONMENT: 'e2e',
      POSTHOG_API_KEY: POSTHOG_KEY,
      POSTHOG_HOST: `http://127.0.0.1:${port}`,
    },
    originEnv: { METRICS_TOKEN },
  });
  key = stack.createKey({ name: 'observed', tier: 'free', level: 2, scopes: 'engines,workflows' }).api_key;
}, { timeout: 15 * 60 * 1000 });

after(async () => {
  await stack?.stop();
  collector?.server.close();
});

async function edgeCall(path, { apiKey = key, body, headers = {} } = {}) {
  const response = await fetch(`${stack.edgeUrl}${path}`, {
    method: body ? 'POST' : 'GET',
    headers: { authorization: `Bearer ${apiKey}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(30_000),
  });
  await response.arrayBuffer();
  return response;
}

/** Every raw byte the stand-in received, for the checks that nothing secret is in it. */
function assertNoSecrets() {
  const all = collector.received.map(({ body }) => body.toString('utf8')).join('\n').toLowerCase();
  for (const forbidden of [key, stack.secret, stack.adminKey, 'nk_live_', 'nk_test_', BIRTH.date, BIRTH.time, 'asha', '12.9716', 'kolkata']) {
    assert.ok(!all.includes(forbidden.toLowerCase()), `${forbidden} was sent to Sentry or PostHog`);
  }
}

test('PostHog gets engine_calculation (miss, then cache hit) and auth_failure events in its batch format', async () => {
  const body = { birth_data: { name: BIRTH.name, date: BIRTH.date } };
  assert.equal((await edgeCall('/api/v1/engines/numerology/calculate', { body })).status, 200);
  const second = await edgeCall('/api/v1/engines/numerology/calculate', { body });
  assert.equal(second.status, 200);
  const wrongKey = `nk_test_${'A'.repeat(40)}`;
  const refused = await edgeCall('/api/v1/engines', { apiKey: wrongKey, headers: { 'cf-connecting-ip': '203.0.113.9' } });
  assert.ok(refused.status === 401 || refused.status === 403, `refused with ${refused.status}`);

  const events = await waitFor('the PostHog events', () => {
    const batches = collector.received.filter(({ path }) => path === '/batch/').map(({ body }) => JSON.parse(body));
    const events = batches.flatMap((batch) => {
      assert.equal(batch.api_key, POSTHOG_KEY);
      return batch.batch;
    });
    const names = events.map((event) => event.event);
    return names.filter((name) => name === 'engine_calculation').length >= 2 && names.includes('auth_failure') && events;
  });
  const calculations = events.filter((event) => event.event === 'engine_calculation');
  for (const event of calculations) {
    assert.match(event.uuid, /^[0-9a-f-]{36}$/);
    assert.ok(!Number.isNaN(Date.parse(event.timestamp)), event.timestamp);
    assert.match(event.distinct_id, /^[0-9a-f-]{36}$/, 'the key owner');
    const p = event.properties;
    assert.deepEqual(
      [p.engine_id, p.tier, p.level, p.status, p.$lib, p.runtime],
      ['numerology', 'free', 2, 200, 'noesis-edge', 'edge'],
    );
    assert.equal(typeof p.duration_ms, 'number');
  }
  assert.deepEqual(calculations.map((event) => event.properties.cache_hit).sort(), [false, true]);
  const failure = events.find((event) => event.event === 'auth_failure');
  assert.match(failure.properties.client_hash, /^[0-9a-f]{16}$/);
  assert.equal(failure.distinct_id, failure.properties.client_hash);
  assert.equal(failure.properties.$process_person_profile, false);
  assert.ok(!JSON.stringify(events).includes('203.0.113.9'), 'the client address is hashed');
  assertNoSecrets();
});

test("the edge's counters reach the origin's /metrics with the usage batches", async () => {
  const text = await waitFor('the edge counters on /metrics', async () => {
    const response = await fetch(`${stack.originUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    const text = await response.text();
    const value = (line) => Number(text.match(new RegExp(`^${line.replace(/[{}]/g, '\\$&')} (\\d+)`, 'm'))?.[1] ?? 0);
    return value('noesis_edge_cache_hits_total') >= 1 && value('noesis_edge_requests_total{status="2xx"}') >= 2 && text;
  });
  assert.match(text, /^noesis_edge_cache_misses_total [1-9]/m);
  assert.match(text, /^noesis_edge_requests_total\{status="4xx"\} [1-9]/m);
  assert.match(text, /^noesis_edge_allowlist_refreshes_total [1-9]/m);
  assert.match(text, /^noesis_edge_product_events_sent_total [1-9]/m);
});

test('a 5xx at the edge (origin away for a workflow call) reaches Sentry as a tagged, scrubbed envelope', async () => {
  await stack.stopOrigin();
  const response = await edgeCall('/api/v1/workflows/daily-practice/execute?token=nk_live_QuerySecret1', {
    body: { birth_data: BIRTH },
    headers: { 'x-request-id': 'e2e-observed-503', cookie: 'session=nk_live_CookieSecret2' },
  });
  assert.equal(response.status, 503);

  const envelopes = await waitFor('the Sentry envelope', () => {
    const sent = collector.received.filter(({ path }) => path === '/api/7/envelope/');
    return sent.length >= 1 && sent;
  });
  assert.equal(envelopes.length, 1, 'one event for one 5xx');
  const [{ headers, body }] = envelopes;
  assert.match(headers['x-sentry-auth'], /^Sentry sentry_version=7, sentry_key=e2epublickey, sentry_client=noesis-edge\/\d/);
  const { header, items } = parseEnvelope(body);
  assert.match(header.event_id, /^[0-9a-f]{32}$/);
  assert.ok(!Number.isNaN(Date.parse(header.sent_at)));
  assert.equal(header.dsn, `http://e2epublickey@127.0.0.1:${collectorPort}/7`);
  assert.equal(items.length, 1);
  assert.equal(items[0].header.type, 'event');
  const event = items[0].payload;
  assert.equal(event.event_id, header.event_id);
  assert.equal(event.level, 'error');
  assert.match(event.release, /^noesis-edge@\d+\.\d+\.\d+/);
  assert.equal(event.environment, 'e2e');
  assert.deepEqual(event.fingerprint, ['daily-practice', 'ORIGIN_UNAVAILABLE']);
  assert.deepEqual(
    {
      runtime: event.tags.runtime,
      request_id: event.tags.request_id,
      route: event.tags.route,
      workflow_id: event.tags.workflow_id,
      status: event.tags.status,
      problem_code: event.tags.problem_code,
    },
    {
      runtime: 'edge',
      request_id: 'e2e-observed-503',
      route: '/api/v1/*',
      workflow_id: 'daily-practice',
      status: '503',
      problem_code: 'ORIGIN_UNAVAILABLE',
    },
  );
  assertNoSecrets();
  const raw = body.toString('utf8').toLowerCase();
  for (const forbidden of ['querysecret', 'cookiesecret', 'authorization', 'cookie']) {
    assert.ok(!raw.includes(forbidden), `${forbidden} reached Sentry`);
  }
});
