// Reading docs/onboarding.md as a test script: its runnable blocks, the sample answer after each,
// and how an answer is matched against a sample. Used by onboarding.test.mjs.

import assert from 'node:assert/strict';

/**
 * The guide's blocks in order: {lang, code, line}. ```sh blocks run; the ```json or ```text block
 * right after one (only blank lines or prose between them) is its sample answer.
 */
export function guideSteps(markdown) {
  const blocks = [];
  const fence = /^```(\w*)\n([\s\S]*?)^```\s*$/gm;
  for (const match of markdown.matchAll(fence)) {
    blocks.push({ lang: match[1], code: match[2], line: markdown.slice(0, match.index).split('\n').length });
  }
  const steps = [];
  blocks.forEach((block, i) => {
    if (block.lang !== 'sh') return;
    const next = blocks[i + 1];
    const sample = next && ['json', 'text'].includes(next.lang) ? next : null;
    steps.push({ ...block, sample });
  });
  return steps;
}

/** Whether `actual` matches the guide's `sample`; "…" in a sample stands for anything. */
export function matchSample(sample, actual, where = '$') {
  if (sample === '…') return;
  if (Array.isArray(sample)) {
    assert.ok(Array.isArray(actual), `${where}: expected an array, got ${JSON.stringify(actual)}`);
    // A trailing "…" element: the answer may have more elements than the guide shows.
    const open = sample.at(-1) === '…';
    const shown = open ? sample.slice(0, -1) : sample;
    if (open) assert.ok(actual.length >= shown.length, `${where}: ${actual.length} elements, the guide shows ${shown.length}`);
    else assert.equal(actual.length, shown.length, `${where}: ${actual.length} elements, the guide shows ${shown.length}`);
    shown.forEach((item, i) => matchSample(item, actual[i], `${where}[${i}]`));
  } else if (sample !== null && typeof sample === 'object') {
    assert.ok(actual !== null && typeof actual === 'object' && !Array.isArray(actual), `${where}: expected an object, got ${JSON.stringify(actual)}`);
    // The guide may show some fields of an object and leave others out.
    for (const [key, value] of Object.entries(sample)) {
      // `"…": "…"` says the answer has more fields than the guide shows.
      if (key === '…') continue;
      assert.ok(key in actual, `${where}.${key}: missing from the answer`);
      matchSample(value, actual[key], `${where}.${key}`);
    }
  } else if (typeof sample === 'string' && sample.includes('…')) {
    assert.equal(typeof actual, 'string', `${where}: expected a string, got ${JSON.stringify(actual)}`);
    assert.match(actual, textPattern(sample), `${where}: ${JSON.stringify(actual)} does not match ${JSON.stringify(sample)}`);
  } else {
    assert.deepEqual(actual, sample, `${where}: the answer has ${JSON.stringify(actual)}, the guide shows ${JSON.stringify(sample)}`);
  }
}

/** A text sample as a whole-text pattern: literal, except "…", which matches anything. */
function textPattern(sample) {
  const literal = sample.split('…').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${literal.join('[\\s\\S]*?')}$`);
}

export function checkOutput(step, stdout) {
  const where = `docs/onboarding.md:${step.line}`;
  assert.ok(step.sample, `${where}: a sh block needs the sample answer (a json or text block) after it`);
  if (step.sample.lang === 'json') {
    let actual;
    try {
      actual = JSON.parse(stdout);
    } catch {
      assert.fail(`${where}: the answer is not JSON:\n${stdout}`);
    }
    matchSample(JSON.parse(step.sample.code), actual);
  } else {
    assert.match(stdout.trim(), textPattern(step.sample.code.trim()), `${where}: the output\n${stdout}\ndoes not match the guide's\n${step.sample.code}`);
  }
}
