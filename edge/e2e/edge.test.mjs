// End to end: HTTP against the Worker under `wrangler dev` with the real origin behind it
// (edge/e2e/harness.mjs). Run with `node --test 'edge/e2e/*.test.mjs'` after `. scripts/edge-tools` (Node 22,
// wrangler); scripts/test does both. Tests run in file order; the one that stops the origin is last.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { bytes, startStack, wellFormedUnknownKey } from './harness.mjs';

/** A birth-only numerology request: deterministic, so cacheable for 30 days. */
const NUMEROLOGY = { birth_data: { name: 'Asha Rao', date: '1991-08-13' } };
const HUMAN_DESIGN = {
  birth_data: {
    name: 'Asha Rao',
    date: '1991-08-13',
    time: '13:31',
    timezone: 'Asia/Kolkata',
    latitude: 12.9716,
    longitude: 77.5946,
  },
};

let stack;

before(async () => {
  stack = await startStack();
}, { timeout: 15 * 60 * 1000 });

after(async () => {
  await stack?.stop();
});

/** fetch with a bearer key and a JSON body (when given); resolves to {response, body}. */
async function call(base, path, { key, body, method = body ? 'POST' : 'GET', headers = {} } = {}) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(key ? { Authorization: `Bearer ${key}` } : {}),
      ...(body ? { 'Content-Type': 'application/json' } : {}),
      ...headers,
    },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  let parsed;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  return { response, body: parsed };
}

const edge = (path, options) => call(stack.edgeUrl, path, options);
const origin = (path, options) => call(stack.originUrl, path, options);

test('the Worker bundle fits the plan (size printed)', (t) => {
  const { upload, gzip } = stack.bundle;
  const line = `Worker bundle: ${upload} uploaded, ${gzip} gzip (wrangler deploy --dry-run); build + dry run ${stack.timings.buildAndDryRunSeconds.toFixed(1)} s, wrangler dev ready in ${stack.timings.wranglerReadySeconds.toFixed(1)} s`;
  t.diagnostic(line);
  // The free plan's limit is 3 MiB compressed.
  assert.ok(bytes(gzip) < 3 * 1024 ** 2, line);
});

describe('edge, today', () => {
  test('GET /health is 200 JSON {status: "ok"} served by the edge', async () => {
    const { response, body } = await edge('/health');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type'), /^application\/json/);
    assert.equal(response.headers.get('x-served-by'), 'edge');
    assert.equal(body.status, 'ok');
    assert.equal(body.served_by, 'edge');
  });

  test('an unknown path is a problem+json 404 echoing the request id', async () => {
    const { response, body } = await edge('/no/such/route', { headers: { 'X-Request-Id': 'e2e-unknown.1' } });
    assert.equal(response.status, 404);
    assert.equal(response.headers.get('content-type'), 'application/problem+json');
    assert.equal(response.headers.get('x-request-id'), 'e2e-unknown.1');
    assert.equal(body.code, 'NOT_FOUND');
    assert.equal(body.status, 404);
    assert.equal(body.request_id, 'e2e-unknown.1');
  });

  test('the origin behind the edge accepts the admin key (GET /api/v1/me)', async () => {
    const { response, body } = await origin('/api/v1/me', { key: stack.adminKey });
    assert.equal(response.status, 200, JSON.stringify(body));
    assert.equal(response.headers.get('x-served-by'), 'origin');
    assert.equal(body.key.key_id, stack.adminKeyId);
    assert.equal(body.limits.consciousness_level, 5);
  });
});

describe('edge routes (DESIGN §4)', () => {
  test('numerology through the edge: MISS, then HIT with the same result', async () => {
    const path = '/api/v1/engines/numerology/calculate';
    const first = await edge(path, { key: stack.adminKey, body: NUMEROLOGY });
    assert.equal(first.response.status, 200, JSON.stringify(first.body));
    assert.equal(first.response.headers.get('x-served-by'), 'edge');
    assert.equal(first.response.headers.get('x-cache'), 'MISS');
    // The edge stores the result inside waitUntil: a hit may take a moment to appear.
    let second;
    for (let attempt = 0; attempt < 20; attempt += 1) {
      second = await edge(path, { key: stack.adminKey, body: NUMEROLOGY });
      if (second.response.headers.get('x-cache') === 'HIT') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(second.response.status, 200);
    assert.equal(second.response.headers.get('x-cache'), 'HIT');
    assert.deepEqual(second.body.result, first.body.result);
    assert.equal(second.body.engine_id, 'numerology');
  });

  test('a level-0 key gets 403 LEVEL_REQUIRED on human-design', async () => {
    const low = stack.createKey({ name: 'e2e-level-0', tier: 'free', level: 0, scopes: 'engines' });
    const { response, body } = await edge('/api/v1/engines/human-design/calculate', { key: low.api_key, body: HUMAN_DESIGN });
    assert.equal(response.status, 403, JSON.stringify(body));
    assert.equal(response.headers.get('content-type'), 'application/problem+json');
    assert.equal(response.headers.get('x-served-by'), 'edge');
    assert.equal(body.code, 'LEVEL_REQUIRED');
    assert.equal(body.required_level, 1);
  });

  test('GET /api/v1/me is forwarded to the origin with the request id', async () => {
    const { response, body } = await edge('/api/v1/me', { key: stack.adminKey, headers: { 'X-Request-Id': 'e2e-me.1' } });
    assert.equal(response.status, 200, JSON.stringify(body));
    assert.equal(response.headers.get('x-served-by'), 'origin');
    assert.equal(response.headers.get('x-request-id'), 'e2e-me.1');
    assert.equal(body.key.key_id, stack.adminKeyId);
  });

  test('a key created at the origin is usable at the edge', async () => {
    const me = await origin('/api/v1/me', { key: stack.adminKey });
    const created = await origin('/api/v1/admin/keys', {
      key: stack.adminKey,
      body: { user_id: me.body.key.user_id, name: 'e2e-made-at-origin', tier: 'free', consciousness_level: 2, scopes: ['engines'] },
    });
    assert.equal(created.response.status, 201, JSON.stringify(created.body));
    const { response, body } = await edge('/api/v1/engines/numerology/calculate', { key: created.body.api_key, body: NUMEROLOGY });
    assert.equal(response.status, 200, JSON.stringify(body));
    assert.equal(response.headers.get('x-served-by'), 'edge');
    assert.equal(body.consciousness_level, 2);
  });
});

// ---- Helpers for the tests below --------------------------------------------------------------

const CALCULATE = '/api/v1/engines/numerology/calculate';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** POST with a raw body and content type to the edge; resolves to {response, body}. */
async function rawPost(path, { key, body, contentType, requestId }) {
  const response = await fetch(`${stack.edgeUrl}${path}`, {
    method: 'POST',
    headers: {
      ...(key ? { Authorization: `Bearer ${key}` } : {}),
      ...(contentType ? { 'Content-Type': contentType } : {}),
      ...(requestId ? { 'X-Request-Id': requestId } : {}),
    },
    body,
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { response, body: parsed };
}

/** A problem+json the edge answered itself, echoing `requestId`. */
function assertEdgeProblem({ response, body }, status, code, requestId) {
  const seen = JSON.stringify(body);
  assert.equal(response.status, status, seen);
  assert.equal(response.headers.get('content-type'), 'application/problem+json', seen);
  assert.equal(response.headers.get('x-served-by'), 'edge', seen);
  assert.equal(body.code, code, seen);
  assert.equal(body.status, status, seen);
  if (requestId) {
    assert.equal(response.headers.get('x-request-id'), requestId);
    assert.equal(body.request_id, requestId);
  }
}

/** A key made through the origin's admin API: {key_id, api_key, key}. */
async function adminCreateKey(fields) {
  const me = await origin('/api/v1/me', { key: stack.adminKey });
  const created = await origin('/api/v1/admin/keys', {
    key: stack.adminKey,
    body: { user_id: me.body.key.user_id, tier: 'premium', consciousness_level: 2, scopes: ['engines'], ...fields },
  });
  assert.equal(created.response.status, 201, JSON.stringify(created.body));
  return created.body;
}

describe('errors the edge answers itself (problem+json, X-Served-By: edge, request id echoed)', () => {
  test('401 UNAUTHORIZED: no key, malformed, bad checksum, well-formed but unknown', async () => {
    const valid = stack.createKey({ name: 'e2e-checksum', level: 0 }).api_key;
    const last = valid.at(-1);
    const badChecksum = valid.slice(0, -1) + (last === 'A' ? 'B' : 'A');
    const cases = [
      ['no-key', undefined],
      ['malformed', 'garbage'],
      ['bad-checksum', badChecksum],
      ['unknown', wellFormedUnknownKey()],
    ];
    for (const [name, key] of cases) {
      const requestId = `e2e-401-${name}`;
      const answer = await edge(CALCULATE, { key, body: NUMEROLOGY, headers: { 'X-Request-Id': requestId } });
      assertEdgeProblem(answer, 401, 'UNAUTHORIZED', requestId);
    }
  });

  test('403 FORBIDDEN: a key without the engines scope', async () => {
    const key = stack.createKey({ name: 'e2e-workflows-only', level: 2, scopes: 'workflows' }).api_key;
    const answer = await edge(CALCULATE, { key, body: NUMEROLOGY, headers: { 'X-Request-Id': 'e2e-403' } });
    assertEdgeProblem(answer, 403, 'FORBIDDEN', 'e2e-403');
  });

  test('404 ENGINE_NOT_FOUND', async () => {
    const answer = await edge('/api/v1/engines/no-such-engine/calculate', {
      key: stack.adminKey,
      body: NUMEROLOGY,
      headers: { 'X-Request-Id': 'e2e-404-engine' },
    });
    assertEdgeProblem(answer, 404, 'ENGINE_NOT_FOUND', 'e2e-404-engine');
    const info = await edge('/api/v1/engines/no-such-engine', { key: stack.adminKey, headers: { 'X-Request-Id': 'e2e-404-info' } });
    assertEdgeProblem(info, 404, 'ENGINE_NOT_FOUND', 'e2e-404-info');
  });

  test('400 MALFORMED_JSON, 415 UNSUPPORTED_MEDIA_TYPE, 413 PAYLOAD_TOO_LARGE', async () => {
    const key = stack.adminKey;
    const malformed = await rawPost(CALCULATE, { key, body: '{"birth_data": {', contentType: 'application/json', requestId: 'e2e-400' });
    assertEdgeProblem(malformed, 400, 'MALFORMED_JSON', 'e2e-400');
    const media = await rawPost(CALCULATE, { key, body: JSON.stringify(NUMEROLOGY), contentType: 'text/plain', requestId: 'e2e-415' });
    assertEdgeProblem(media, 415, 'UNSUPPORTED_MEDIA_TYPE', 'e2e-415');
    const big = JSON.stringify({ birth_data: { name: 'a'.repeat(66 * 1024), date: '1991-08-13' } });
    assert.ok(big.length > 64 * 1024);
    const large = await rawPost(CALCULATE, { key, body: big, contentType: 'application/json', requestId: 'e2e-413' });
    assertEdgeProblem(large, 413, 'PAYLOAD_TOO_LARGE', 'e2e-413');
  });

  test('422 VALIDATION_ERROR names the fields at fault', async () => {
    const answer = await edge(CALCULATE, {
      key: stack.adminKey,
      body: { birth_data: { name: 'Asha Rao', date: '1991-13-45' } },
      headers: { 'X-Request-Id': 'e2e-422' },
    });
    assertEdgeProblem(answer, 422, 'VALIDATION_ERROR', 'e2e-422');
    assert.ok(Array.isArray(answer.body.errors) && answer.body.errors.length > 0, JSON.stringify(answer.body));
    assert.ok(answer.body.errors.some((error) => error.field === 'birth_data.date' && error.message), JSON.stringify(answer.body.errors));
    const missing = await edge(CALCULATE, { key: stack.adminKey, body: { options: {} }, headers: { 'X-Request-Id': 'e2e-422b' } });
    assertEdgeProblem(missing, 422, 'VALIDATION_ERROR', 'e2e-422b');
    assert.ok(missing.body.errors.some((error) => error.field.startsWith('birth_data')), JSON.stringify(missing.body.errors));
  });

  test('429 RATE_LIMITED with Retry-After and RateLimit-* (limit 3 a minute: 3 OK, then 429)', async () => {
    const key = (await adminCreateKey({ name: 'e2e-rate-3', tier: 'free', rate_limit_per_minute: 3 })).api_key;
    // The window is the calendar minute: keep the four requests inside one.
    const left = 60_000 - (Date.now() % 60_000);
    if (left < 10_000) await sleep(left + 250);
    const body = { birth_data: { name: 'Rate Probe', date: '1970-01-01' } };
    for (let n = 1; n <= 3; n += 1) {
      const ok = await edge(CALCULATE, { key, body });
      assert.equal(ok.response.status, 200, JSON.stringify(ok.body));
      assert.equal(ok.response.headers.get('ratelimit-limit'), '3');
      assert.equal(ok.response.headers.get('ratelimit-remaining'), String(3 - n));
    }
    const refused = await edge(CALCULATE, { key, body, headers: { 'X-Request-Id': 'e2e-429' } });
    assertEdgeProblem(refused, 429, 'RATE_LIMITED', 'e2e-429');
    const retryAfter = Number(refused.response.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    assert.equal(refused.response.headers.get('ratelimit-limit'), '3');
    assert.equal(refused.response.headers.get('ratelimit-remaining'), '0');
    assert.equal(refused.response.headers.get('ratelimit-reset'), String(retryAfter));
  });
});

describe('keys, usage, CORS, status, forwarding', () => {
  test('a key revoked at the origin is refused at the edge within the allow-list TTL (delay printed)', async (t) => {
    const ttl = stack.allowlistTtlSeconds;
    const created = await adminCreateKey({ name: 'e2e-revoke' });
    const body = { birth_data: { name: 'Revoke Probe', date: '1988-03-21' } };
    const before = await edge(CALCULATE, { key: created.api_key, body });
    assert.equal(before.response.status, 200, JSON.stringify(before.body));

    const revoked = await origin(`/api/v1/admin/keys/${created.key_id}/revoke`, { key: stack.adminKey, body: { reason: 'e2e' } });
    assert.equal(revoked.response.status, 200, JSON.stringify(revoked.body));
    const revokedAt = performance.now();
    // The origin refuses it at once.
    const atOrigin = await origin('/api/v1/me', { key: created.api_key });
    assert.equal(atOrigin.response.status, 401, JSON.stringify(atOrigin.body));
    assert.equal(atOrigin.body.code, 'KEY_REVOKED');

    let answer;
    let seconds;
    for (;;) {
      answer = await edge(CALCULATE, { key: created.api_key, body, headers: { 'X-Request-Id': 'e2e-revoked' } });
      seconds = (performance.now() - revokedAt) / 1000;
      if (answer.response.status !== 200 || seconds > ttl + 10) break;
      await sleep(200);
    }
    const line = `revocation reached the edge in ${seconds.toFixed(2)} s (TTL ${ttl} s)`;
    t.diagnostic(line);
    console.log(line);
    // The revoked key leaves the allow-list; the edge's on-demand lookup then gets its grant with
    // `revoked_at`, and refuses it as the origin does.
    assertEdgeProblem(answer, 401, 'KEY_REVOKED', 'e2e-revoked');
    assert.ok(seconds <= ttl + 2, line);
  });

  test('the origin records a usage row for each request the edge served, cache hits counted', async () => {
    const created = await adminCreateKey({ name: 'e2e-usage' });
    const body = { birth_data: { name: `Usage ${randomBytes(4).toString('hex')}`, date: '1979-05-04' } };
    const count = 5;
    let hits = 0;
    for (let n = 0; n < count; n += 1) {
      const answer = await edge(CALCULATE, { key: created.api_key, body });
      assert.equal(answer.response.status, 200, JSON.stringify(answer.body));
      if (answer.response.headers.get('x-cache') === 'HIT') hits += 1;
      await sleep(150);
    }
    assert.ok(hits >= 1, 'at least one cache hit');
    const deadline = Date.now() + 10_000;
    let report;
    for (;;) {
      report = await origin(`/api/v1/admin/usage?group_by=total&key_id=${created.key_id}`, { key: stack.adminKey });
      assert.equal(report.response.status, 200, JSON.stringify(report.body));
      if (report.body.total.requests >= count || Date.now() > deadline) break;
      await sleep(250);
    }
    assert.equal(report.body.total.requests, count, JSON.stringify(report.body.total));
    assert.equal(report.body.total.cache_hits, hits, JSON.stringify(report.body.total));
    assert.equal(report.body.total.client_errors, 0);
  });

  test('CORS: a preflight from an allowed origin is granted at the edge, one from elsewhere is not', async () => {
    const preflight = (browserOrigin) =>
      fetch(`${stack.edgeUrl}${CALCULATE}`, {
        method: 'OPTIONS',
        headers: {
          Origin: browserOrigin,
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'authorization, content-type',
        },
        signal: AbortSignal.timeout(30_000),
      });
    const allowed = await preflight('http://localhost:3000');
    assert.ok(allowed.status >= 200 && allowed.status < 300, `status ${allowed.status}`);
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'http://localhost:3000');
    assert.match(allowed.headers.get('access-control-allow-methods'), /POST/);
    assert.match(allowed.headers.get('access-control-allow-headers'), /authorization/);
    assert.equal(allowed.headers.get('x-served-by'), 'edge');

    const evil = await preflight('https://evil.example');
    assert.equal(evil.headers.get('access-control-allow-origin'), null);

    // The actual call from the allowed origin carries the grant too; from elsewhere, not.
    const call = await edge(CALCULATE, { key: stack.adminKey, body: NUMEROLOGY, headers: { Origin: 'http://localhost:3000' } });
    assert.equal(call.response.status, 200);
    assert.equal(call.response.headers.get('access-control-allow-origin'), 'http://localhost:3000');
    const other = await edge(CALCULATE, { key: stack.adminKey, body: NUMEROLOGY, headers: { Origin: 'https://evil.example' } });
    assert.equal(other.response.headers.get('access-control-allow-origin'), null);
  });

  test('/status is a readable page and /status.json has edge, origin, database, cache up', async () => {
    const page = await edge('/status');
    assert.equal(page.response.status, 200);
    assert.match(page.response.headers.get('content-type'), /^text\/html/);
    assert.equal(typeof page.body, 'string');
    for (const name of ['edge', 'origin', 'database', 'cache']) {
      assert.match(page.body, new RegExp(`<td>${name}</td><td class="\\w+">up</td>`), name);
    }
    assert.match(page.body, /Checked at \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/);

    const { response, body } = await edge('/status.json');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type'), /^application\/json/);
    assert.ok(!Number.isNaN(Date.parse(body.checked_at)), body.checked_at);
    const byName = Object.fromEntries(body.components.map((component) => [component.name, component.status]));
    for (const name of ['edge', 'origin', 'database', 'cache']) {
      assert.equal(byName[name], 'up', `${name}: ${JSON.stringify(body.components)}`);
    }
  });

  test('a workflow and an admin call are forwarded to the origin', async () => {
    const workflow = await edge('/api/v1/workflows/daily-practice/execute', {
      key: stack.adminKey,
      body: {
        birth_data: HUMAN_DESIGN.birth_data,
        location: { latitude: 12.9716, longitude: 77.5946, timezone: 'Asia/Kolkata' },
      },
      headers: { 'X-Request-Id': 'e2e-workflow' },
    });
    assert.equal(workflow.response.status, 200, JSON.stringify(workflow.body));
    assert.equal(workflow.response.headers.get('x-served-by'), 'origin');
    assert.equal(workflow.response.headers.get('x-request-id'), 'e2e-workflow');
    assert.equal(workflow.body.workflow_id, 'daily-practice');
    assert.ok(workflow.body.synthesis && Array.isArray(workflow.body.synthesis.engines), JSON.stringify(workflow.body).slice(0, 500));

    const keys = await edge('/api/v1/admin/keys', { key: stack.adminKey });
    assert.equal(keys.response.status, 200, JSON.stringify(keys.body));
    assert.equal(keys.response.headers.get('x-served-by'), 'origin');
    assert.ok(Array.isArray(keys.body.items) && keys.body.items.length > 0);
    assert.ok(keys.body.items.some((item) => item.key_id === stack.adminKeyId));
  });
});

// Last: it stops the origin for good.
describe('origin stopped (last)', () => {
  test('origin stopped: calculations still served, forwarded routes 503 ORIGIN_UNAVAILABLE', async () => {
    // The edge learns the admin key (allow-list) while the origin is up.
    const warm = await edge('/api/v1/engines/numerology/calculate', { key: stack.adminKey, body: NUMEROLOGY });
    assert.equal(warm.response.status, 200, JSON.stringify(warm.body));
    await stack.stopOrigin();

    // Another input, so the edge computes it rather than finding it in its cache.
    const fresh = { birth_data: { name: 'Ravi Iyer', date: '1984-02-29' } };
    const calc = await edge('/api/v1/engines/numerology/calculate', { key: stack.adminKey, body: fresh });
    assert.equal(calc.response.status, 200, JSON.stringify(calc.body));
    assert.equal(calc.response.headers.get('x-served-by'), 'edge');

    const me = await edge('/api/v1/me', { key: stack.adminKey });
    assert.equal(me.response.status, 503, JSON.stringify(me.body));
    assert.equal(me.response.headers.get('content-type'), 'application/problem+json');
    assert.equal(me.body.code, 'ORIGIN_UNAVAILABLE');
  });
});
