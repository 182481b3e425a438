// tc's notation: handles, parents, rates, sizes and times. Expected values are what tc 6.1 made
// of the same text (read back with `tc -j qdisc show`), see fixtures/tc/ for the bytes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as C from '../../src/codec/constants/index.js';
import {
  formatHandle,
  parseClassid,
  parseFilterParent,
  parseQdiscHandle,
  parseRate,
  parseSize,
  parseTime,
} from '../../src/codec/tc/parse.js';
import { ValidationError } from '../../src/errors.js';

const refused = (fn: () => unknown, field: string, text: RegExp) =>
  assert.throws(fn, (e: unknown) => e instanceof ValidationError && e.field === field && text.test(e.message));

test('handles and parents', () => {
  assert.equal(parseQdiscHandle('1:'), 0x10000);
  assert.equal(parseQdiscHandle('1'), 0x10000);
  assert.equal(parseQdiscHandle('ffff:'), 0xffff0000);
  assert.equal(parseClassid('1:10'), 0x10010);
  assert.equal(parseClassid('1:'), 0x10000);
  assert.equal(parseClassid(':10'), 0x10);
  assert.equal(parseClassid('ffff:fff1'), C.TC_H_INGRESS);
  assert.equal(parseClassid('root'), C.TC_H_ROOT);
  assert.equal(parseClassid('ingress'), C.TC_H_INGRESS);
  assert.equal(parseClassid('clsact'), C.TC_H_CLSACT);
  assert.equal(parseFilterParent('ingress'), 0xfffffff2);
  assert.equal(parseFilterParent('egress'), 0xfffffff3);
  assert.equal(parseFilterParent('1:'), 0x10000);
  refused(() => parseQdiscHandle('1:x'), 'handle', /'1:x'/);
  refused(() => parseQdiscHandle('10000:'), 'handle', /at most ffff/);
  refused(() => parseClassid('1:x', 'classid'), 'classid', /'1:x'/);
  refused(() => parseClassid('1:10000', 'parent'), 'parent', /hex/);
  refused(() => parseClassid('', 'parent'), 'parent', /major:minor/);
  refused(() => parseClassid('g'), 'classid', /'g'/);
});

test('handles print as tc prints them', () => {
  for (const [h, s] of [
    [0x10000, '1:'],
    [0x10010, '1:10'],
    [0x10, ':10'],
    [C.TC_H_ROOT, 'root'],
    [0, 'none'],
    [C.TC_H_INGRESS, 'ffff:fff1'],
  ] as const)
    assert.equal(formatHandle(h), s);
  for (const s of ['1:', '1:10', 'ffff:fff1', 'abcd:ef']) assert.equal(formatHandle(parseClassid(s)), s);
});

test('rates in bytes per second, as tc computes them', () => {
  for (const [text, bytes] of [
    ['800', 100n], // a bare number is bits per second
    ['8000bit', 1000n],
    ['1kibit', 128n],
    ['1KBps', 1000n],
    ['1.5mbit', 187500n],
    ['100MBIT', 12_500_000n],
    ['1e6', 125_000n],
    ['100mbit', 12_500_000n],
    ['1gbit', 125_000_000n],
    ['50gbit', 6_250_000_000n],
  ] as const)
    assert.equal(parseRate(text), bytes, text);
  refused(() => parseRate('fast'), 'rate', /'fast'/);
  refused(() => parseRate('10 mbit', 'ceil'), 'ceil', /'10 mbit'/);
  refused(() => parseRate('-1mbit'), 'rate', /rate/);
  refused(() => parseRate('1mbps2'), 'rate', /rate/);
});

test('sizes and times', () => {
  for (const [text, bytes] of [
    ['1000', 1000],
    ['1k', 1024],
    ['1kb', 1024],
    ['64kb', 65536],
    ['1kbit', 128],
    ['1mb', 1048576],
    ['1500b', 1500],
    ['2m', 2097152],
    ['1.5k', 1536],
  ] as const)
    assert.equal(parseSize(text), bytes, text);
  for (const [text, us] of [
    ['10ms', 10000],
    ['1s', 1_000_000],
    ['500us', 500],
    ['1.5ms', 1500],
    ['7', 7],
  ] as const)
    assert.equal(parseTime(text), us, text);
  refused(() => parseSize('10q', 'burst'), 'burst', /'10q'/);
  refused(() => parseSize('5gb', 'limit'), 'limit', /4 GiB/);
  refused(() => parseTime('soon', 'latency'), 'latency', /'soon'/);
});
