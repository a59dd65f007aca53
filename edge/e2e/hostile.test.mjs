// Hostile input through the edge (docs/security.md): the Worker under `wrangler dev` with the
// real origin behind it (edge/e2e/harness.mjs). Bodies too large, too deep or not UTF-8, the wrong
// media type, request ids that would inject headers, SQL metacharacters in paths, queries and
// bodies, keys with the right prefix and a wrong checksum: each answer is a 4xx problem+json (or
// a 2xx), never a 5xx, and never reflects what it was sent raw.
// Run with `node --test edge/e2e/hostile.test.mjs` after `cargo build -p noesis-origin` and
// `. scripts/edge-tools`.

import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, test } from 'node:test';

import { startStack } from './harness.mjs';

const CALCULATE = '/api/v1/engines/numerology/calculate';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const HOSTILE = ["' OR 1=1 --", '"; DROP TABLE users; --', 'a\u0000b', '\u2018smart\u2019 \u201cquotes\u201d'];

let stack;

before(async () => {
  stack = await startStack();
}, { timeout: 15 * 60 * 1000 });

after(async () => {
  await stack?.stop();
});

/** A request to the edge with raw body bytes; resolves to {status, headers, body (parsed JSON or text)}. */
async function send(path, { method = 'POST', key = stack.adminKey, body, contentType, headers = {} } = {}) {
  const response = await fetch(`${stack.edgeUrl}${path}`, {
    method,
    headers: {
      ...(key ? { Authorization: `Bearer ${key}` } : {}),
      ...(contentType ? { 'Content-Type': contentType } : {}),
      ...headers,
    },
    body,
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  let parsed = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: kept as text for the assertion message.
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

/** A 4xx problem+json with this status (and code, when given) and the echoed request id; or a 2xx. */
function assertNot5xx(answer, what, { status, code } = {}) {
  assert.ok(answer.status < 500, `${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
  if (status !== undefined) assert.equal(answer.status, status, `${what}: ${JSON.stringify(answer.body)}`);
  if (answer.status >= 400) {
    assert.equal(answer.headers.get('content-type'), 'application/problem+json', what);
    assert.equal(answer.body.status, answer.status, what);
    assert.equal(answer.body.request_id, answer.headers.get('x-request-id'), what);
    if (code !== undefined) assert.equal(answer.body.code, code, `${what}: ${JSON.stringify(answer.body)}`);
  }
}

/** Raw bytes to the edge on a fresh connection; resolves to the response's head. */
function raw(bytes) {
  const { hostname, port } = new URL(stack.edgeUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.end(bytes));
    const chunks = [];
    socket.setTimeout(30_000, () => socket.destroy(new Error('no answer within 30 s')));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1').split('\r\n\r\n')[0]));
  });
}

test('oversized, deeply nested and non-UTF-8 bodies, and the wrong media type, are 4xx problems', async () => {
  const json = 'application/json';
  const big = JSON.stringify({ birth_data: { name: 'a'.repeat(65 * 1024), date: '1991-08-13' } });
  assertNot5xx(await send(CALCULATE, { body: big, contentType: json }), 'oversized', { status: 413, code: 'PAYLOAD_TOO_LARGE' });
  const deep = '['.repeat(30_000) + ']'.repeat(30_000);
  assertNot5xx(await send(CALCULATE, { body: deep, contentType: json }), 'deep', { status: 400, code: 'MALFORMED_JSON' });
  const latin1 = Buffer.from('{"birth_data": {"name": "Jos\xe9", "date": "1991-08-13"}}', 'latin1');
  assertNot5xx(await send(CALCULATE, { body: latin1, contentType: json }), 'latin-1', { status: 400, code: 'MALFORMED_JSON' });
  const form = 'birth_data=1';
  assertNot5xx(await send(CALCULATE, { body: form, contentType: 'application/x-www-form-urlencoded' }), 'form', {
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  });
  // Forwarded routes are refused alike (the origin's rules).
  assertNot5xx(await send('/api/v1/admin/users', { body: deep, contentType: json }), 'deep admin', { status: 400 });
});

test('request ids that would inject headers are replaced, never reflected', async () => {
  // Control characters cannot go through fetch: raw bytes.
  for (const id of ['abc\rSet-Cookie: x=1', 'abc\u0000def', '\xe9t\xe9']) {
    const head = await raw(Buffer.from(`GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Request-Id: ${id}\r\n\r\n`, 'latin1'));
    const status = Number(head.split(' ')[1]);
    assert.ok(status >= 200 && status < 500, `${JSON.stringify(id)}: ${head}`);
    assert.ok(!/set-cookie/i.test(head), head);
    for (const line of head.split('\r\n').filter((l) => /^x-request-id:/i.test(l))) {
      assert.match(line.split(':')[1].trim(), UUID, `${JSON.stringify(id)} came back as ${line}`);
    }
  }
  for (const id of ['x'.repeat(10 * 1024), "' OR 1=1 --", 'caf\xe9']) {
    for (const [path, method] of [['/health', 'GET'], [CALCULATE, 'POST'], ['/api/v1/me', 'GET']]) {
      const answer = await send(path, {
        method,
        body: method === 'POST' ? '{"birth_data": {"name": "A", "date": "1991-08-13"}}' : undefined,
        contentType: method === 'POST' ? 'application/json' : undefined,
        headers: { 'X-Request-Id': id },
      });
      assertNot5xx(answer, `${path} ${id.slice(0, 20)}`);
      assert.match(answer.headers.get('x-request-id'), UUID, `${path}: ${id.slice(0, 20)}`);
    }
  }
});

test('SQL metacharacters in paths, queries and bodies are 4xx problems or stored verbatim', async () => {
  for (const text of HOSTILE) {
    const value = encodeURIComponent(text);
    assertNot5xx(await send(`/api/v1/engines/${value}/calculate`, { body: '{}', contentType: 'application/json' }), 'engine id', {
      status: 404,
      code: 'ENGINE_NOT_FOUND',
    });
    assertNot5xx(await send(`/api/v1/admin/keys/${value}`, { method: 'GET' }), 'key id');
    assertNot5xx(await send(`/api/v1/admin/users?cursor=${value}`, { method: 'GET' }), 'cursor', { status: 422 });
    assertNot5xx(await send(`/api/v1/admin/usage?group_by=${value}`, { method: 'GET' }), 'group_by', { status: 422 });
    const calculated = await send(CALCULATE, {
      body: JSON.stringify({ birth_data: { name: text, date: '1991-08-13' } }),
      contentType: 'application/json',
    });
    assertNot5xx(calculated, `name ${text}`);
    const user = await send('/api/v1/admin/users', {
      body: JSON.stringify({ email: `e2e-${HOSTILE.indexOf(text)}@example.com`, name: text }),
      contentType: 'application/json',
    });
    assertNot5xx(user, `user ${text}`);
    if (user.status === 201) assert.equal(user.body.name, text.trim());
    else assert.equal(user.status, 422);
  }
  // The admin key, the users table and the keys table still answer.
  const users = await send('/api/v1/admin/users?limit=200', { method: 'GET' });
  assert.equal(users.status, 200, JSON.stringify(users.body));
  assert.ok(users.body.items.some((u) => u.name === HOSTILE[1]), JSON.stringify(users.body.items));
  const keys = await send('/api/v1/admin/keys', { method: 'GET' });
  assert.ok(keys.body.items.some((k) => k.key_id === stack.adminKeyId));
});

test('a key with the right prefix and a wrong checksum is 401 UNAUTHORIZED naming the checksum', async () => {
  const key = stack.adminKey;
  for (const position of [8, 20, key.length - 6, key.length - 1]) {
    const typo = key.slice(0, position) + (key[position] === '0' ? '1' : '0') + key.slice(position + 1);
    const answer = await send(CALCULATE, { key: typo, body: '{}', contentType: 'application/json' });
    assertNot5xx(answer, `position ${position}`, { status: 401, code: 'UNAUTHORIZED' });
    assert.match(answer.body.detail, /checksum/);
    assert.ok(!JSON.stringify(answer.body).includes(typo.slice(8)), 'a refusal never quotes the key');
  }
});
