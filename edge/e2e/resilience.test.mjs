// The edge when what stands behind it fails, end to end: the Worker under `wrangler dev` reaches the
// real origin through a small HTTP proxy in this process (the "front", given to the edge as
// ORIGIN_URL), which a test switches to answer the allow-list with garbage, to hang every request,
// or to close altogether before the origin itself is stopped. Each test names the promise it
// checks (docs/edge.md, DESIGN.md §5). Tests run in file order; the last one stops the origin.
//
//     cargo build -p noesis-origin && . scripts/edge-tools && node --test edge/e2e/resilience.test.mjs

import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';

import { ALLOWLIST_TTL_SECONDS, startStack, wellFormedUnknownKey } from './harness.mjs';

const CALCULATE = '/api/v1/engines/numerology/calculate';
const NUMEROLOGY = { birth_data: { name: 'Asha Rao', date: '1991-08-13' } };
/** The edge's wait for the origin's internal routes (edge/src/glue.rs INTERNAL_TIMEOUT), plus margin. */
const INTERNAL_BOUND_MS = 3000 + 2000;
/** The edge's wait for a forwarded call (edge/src/glue.rs FORWARD_TIMEOUT), plus margin. */
const FORWARD_BOUND_MS = 10_000 + 2000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Garbage in place of the allow-list, a different kind each time it is asked for. */
const GARBAGE = [
  { type: 'application/json', body: '{"keys": [{"hash": "truncated' },
  { type: 'text/html', body: '<html><body><h1>502 Bad Gateway</h1></body></html>' },
  { type: 'application/json', body: '{"etag": 42, "keys": "not a list"}' },
];

/**
 * The proxy between the edge and the origin. Modes: `pass` (forward everything), `hang` (take
 * every request and never answer). With `garbageAllowlist`, `GET /internal/v1/allowlist` gets a
 * 200 with garbage instead of the origin's answer. `close()` stops listening, so the port refuses
 * connections as a stopped origin's does.
 */
class Front {
  constructor(target) {
    this.target = new URL(target);
    this.mode = 'pass';
    this.garbageAllowlist = false;
    this.garbageServed = 0;
    this.hanging = new Set();
    this.sockets = new Set();
  }

  async start() {
    this.server = http.createServer((request, response) => this.handle(request, response));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${this.server.address().port}`;
  }

  handle(request, response) {
    if (this.mode === 'hang') {
      this.hanging.add(response);
      return;
    }
    if (this.garbageAllowlist && request.url.startsWith('/internal/v1/allowlist')) {
      const garbage = GARBAGE[this.garbageServed % GARBAGE.length];
      this.garbageServed += 1;
      response.writeHead(200, { 'content-type': garbage.type, etag: `"garbage-${this.garbageServed}"` });
      response.end(garbage.body);
      return;
    }
    const upstream = http.request(
      { host: this.target.hostname, port: this.target.port, method: request.method, path: request.url, headers: request.headers },
      (answer) => {
        response.writeHead(answer.statusCode, answer.headers);
        answer.pipe(response);
      },
    );
    // The origin is gone: the edge sees the connection fail, as it would without the front.
    upstream.on('error', () => request.socket.destroy());
    request.pipe(upstream);
  }

  /** Back to forwarding; requests held by `hang` are cut. */
  pass() {
    this.mode = 'pass';
    for (const response of this.hanging) response.socket?.destroy();
    this.hanging.clear();
  }

  async close() {
    this.pass();
    const closed = new Promise((resolve) => this.server.close(resolve));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}

let stack;
let front;

before(
  async () => {
    stack = await startStack({
      originFront: async (originUrl) => {
        front = new Front(originUrl);
        return front.start();
      },
    });
  },
  { timeout: 15 * 60 * 1000 },
);

after(async () => {
  await front?.close().catch(() => {});
  await stack?.stop();
});

/** A request to the edge with a bearer key and a JSON body (when given): {response, body, ms}. */
async function edge(path, { key, body, timeout = 30_000 } = {}) {
  const started = performance.now();
  const response = await fetch(`${stack.edgeUrl}${path}`, {
    method: body ? 'POST' : 'GET',
    headers: { ...(key ? { Authorization: `Bearer ${key}` } : {}), ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(timeout),
  });
  const text = await response.text();
  let parsed = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON (the status page).
  }
  return { response, body: parsed, ms: performance.now() - started };
}

/** A numerology body no one has asked for yet: the edge computes it. */
let fresh = 0;
function freshNumerology() {
  fresh += 1;
  return { birth_data: { name: `Resilience ${process.pid} ${fresh}`, date: '1984-02-29' } };
}

/** Asks until the cached body comes back as a HIT (the Cache API write lands after the answer). */
async function cachedHit(key) {
  for (let attempt = 0; attempt < 30; attempt += 1) {
    const answer = await edge(CALCULATE, { key, body: NUMEROLOGY });
    assert.equal(answer.response.status, 200, JSON.stringify(answer.body));
    if (answer.response.headers.get('x-cache') === 'HIT') return answer;
    await sleep(200);
  }
  assert.fail('the cached numerology answer never came back as a HIT');
}

/** The origin component of /status.json. */
async function originStatus() {
  const { response, body } = await edge('/status.json', { timeout: 15_000 });
  assert.equal(response.status, 200);
  return body.components.find((component) => component.name === 'origin');
}

/** Asserts a problem+json 503 ORIGIN_UNAVAILABLE answered by the edge. */
function assertOriginUnavailable({ response, body }) {
  assert.equal(response.status, 503, JSON.stringify(body));
  assert.equal(response.headers.get('content-type'), 'application/problem+json');
  assert.equal(body.code, 'ORIGIN_UNAVAILABLE', JSON.stringify(body));
}

let known;

describe('a garbage allow-list', () => {
  test('promise: the edge keeps its last good allow-list when the origin sends garbage; known keys admitted, unknown refused, no 5xx', async () => {
    known = stack.createKey({ name: 'resilience-known', tier: 'premium', level: 2 }).api_key;
    const first = await edge(CALCULATE, { key: known, body: NUMEROLOGY });
    assert.equal(first.response.status, 200, JSON.stringify(first.body));
    await cachedHit(known);

    front.garbageAllowlist = true;
    // Two TTLs and more: the edge asks again at least twice and gets garbage each time.
    const until = Date.now() + (2 * ALLOWLIST_TTL_SECONDS + 1) * 1000;
    let calls = 0;
    while (Date.now() < until || front.garbageServed < 2) {
      assert.ok(Date.now() < until + 15_000, `the edge asked for the allow-list ${front.garbageServed} times`);
      const answer = await edge(CALCULATE, { key: known, body: calls % 2 ? NUMEROLOGY : freshNumerology() });
      assert.equal(answer.response.status, 200, `call ${calls}: ${JSON.stringify(answer.body)}`);
      assert.equal(answer.response.headers.get('x-served-by'), 'edge');
      calls += 1;
      await sleep(250);
    }
    assert.ok(front.garbageServed >= 2, `garbage served ${front.garbageServed} times`);

    // A key never issued: looked up at the origin (not in the copy), refused; not a 5xx.
    const unknown = await edge(CALCULATE, { key: wellFormedUnknownKey(), body: NUMEROLOGY });
    assert.equal(unknown.response.status, 401, JSON.stringify(unknown.body));
    assert.equal(unknown.body.code, 'UNAUTHORIZED');
    // A key issued after the last good copy: found by the on-demand lookup, admitted.
    const later = stack.createKey({ name: 'resilience-later', tier: 'premium', level: 2 }).api_key;
    const admitted = await edge(CALCULATE, { key: later, body: NUMEROLOGY });
    assert.equal(admitted.response.status, 200, JSON.stringify(admitted.body));

    front.garbageAllowlist = false;
  });
});

describe('an origin that hangs', () => {
  test('promise: engine calls are answered by the edge within its internal timeout, cached ones from the cache', async () => {
    front.mode = 'hang';
    try {
      // The first call may wait out one allow-list refresh (3 s); none waits longer.
      for (let n = 0; n < 3; n += 1) {
        const answer = await edge(CALCULATE, { key: known, body: freshNumerology(), timeout: 20_000 });
        assert.equal(answer.response.status, 200, JSON.stringify(answer.body));
        assert.equal(answer.response.headers.get('x-served-by'), 'edge');
        assert.ok(answer.ms < INTERNAL_BOUND_MS, `an engine call took ${answer.ms.toFixed(0)} ms`);
      }
      const hit = await cachedHit(known);
      assert.ok(hit.ms < INTERNAL_BOUND_MS, `a cached call took ${hit.ms.toFixed(0)} ms`);
    } finally {
      front.pass();
    }
  });

  test('promise: /status says the origin is down within its 2 s check', async () => {
    front.mode = 'hang';
    try {
      const started = performance.now();
      const origin = await originStatus();
      assert.equal(origin.status, 'down', JSON.stringify(origin));
      assert.ok(performance.now() - started < INTERNAL_BOUND_MS, `/status.json took ${(performance.now() - started).toFixed(0)} ms`);
    } finally {
      front.pass();
    }
  });

  test('promise: a forwarded call gets 503 ORIGIN_UNAVAILABLE within a bounded time, never a hang', async () => {
    front.mode = 'hang';
    try {
      const answer = await edge('/api/v1/me', { key: stack.adminKey, timeout: FORWARD_BOUND_MS + 20_000 });
      assert.ok(answer.ms < FORWARD_BOUND_MS, `a forwarded call took ${answer.ms.toFixed(0)} ms`);
      assertOriginUnavailable(answer);
    } finally {
      front.pass();
    }
  });

  test('promise: once the origin answers again, forwarded calls work and /status says up', async () => {
    const me = await edge('/api/v1/me', { key: stack.adminKey });
    assert.equal(me.response.status, 200, JSON.stringify(me.body));
    assert.equal((await originStatus()).status, 'up');
  });
});

// Last: it stops the origin for good.
describe('the origin stopped (last)', () => {
  test('promise: with the origin stopped, the edge computes and serves cached engine calls, forwarded calls get 503 quickly, and /status says down', async () => {
    await front.close();
    await stack.stopOrigin();

    const computed = await edge(CALCULATE, { key: known, body: freshNumerology() });
    assert.equal(computed.response.status, 200, JSON.stringify(computed.body));
    assert.equal(computed.response.headers.get('x-served-by'), 'edge');
    assert.ok(computed.ms < INTERNAL_BOUND_MS, `an engine call took ${computed.ms.toFixed(0)} ms`);
    await cachedHit(known);

    const forwarded = await edge('/api/v1/admin/keys', { key: stack.adminKey });
    assertOriginUnavailable(forwarded);
    assert.ok(forwarded.ms < INTERNAL_BOUND_MS, `a forwarded call took ${forwarded.ms.toFixed(0)} ms`);

    assert.equal((await originStatus()).status, 'down');
    const page = await edge('/status');
    assert.equal(page.response.status, 200);
    assert.match(page.body, /<td>origin<\/td><td class="\w+">down<\/td>/);
  });
});
