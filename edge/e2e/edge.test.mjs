// End to end: HTTP against the Worker under `wrangler dev` with the real origin behind it
// (edge/e2e/harness.mjs). Run with `node --test 'edge/e2e/*.test.mjs'` after `. scripts/edge-tools` (Node 22,
// wrangler); scripts/test does both. Tests run in file order; the one that stops the origin is last.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { bytes, startStack } from './harness.mjs';

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

  // Last: it stops the origin for good.
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
