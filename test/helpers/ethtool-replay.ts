/**
 * Replays ethtool fixtures as the kernel: an EthtoolTransport whose requests are checked against
 * what ethtool itself sent (fixtures/ethtool/<case>-request.hex, padding zeroed) and answered
 * with what the kernel answered ethtool (<case>-reply.hex). No root, no socket.
 */
import assert from 'node:assert/strict';
import { compileSet } from '../../src/codec/compile.js';
import { ethtoolReplies, ethtoolRequests } from '../../src/codec/ethtool/messages.js';
import { decode } from '../../src/codec/index.js';
import { beginMessage } from '../../src/codec/primitives.js';
import { Writer } from '../../src/codec/writer.js';
import { ERRNO_NAMES } from '../../src/errno.js';
import { NetlinkError } from '../../src/errors.js';
import type { EthtoolMessage, EthtoolTransport } from '../../src/ops/ethtool/index.js';
import { loadFixture } from './fixtures.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** Zero attribute padding, descending into NLA_F_NESTED attributes (ethtool leaves stale bytes). */
export function zeroPadding(b: Uint8Array): Uint8Array {
  const out = b.slice();
  const v = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const walk = (at: number, end: number) => {
    while (at + 4 <= end) {
      const len = v.getUint16(at, true);
      if (len < 4 || at + len > end) return;
      if (v.getUint16(at + 2, true) & 0x8000) walk(at + 4, at + len);
      const next = Math.min((at + len + 3) & ~3, end);
      out.fill(0, at + len, next);
      at = next;
    }
  };
  walk(0, out.length);
  return out;
}

/** The attribute bytes of the first message of a fixture (after nlmsghdr and genlmsghdr). */
function firstAttrs(bytes: Uint8Array): { cmd: number; attrs: Uint8Array } {
  const len = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
  return { cmd: bytes[16]!, attrs: bytes.slice(20, len) };
}

export interface ReplayCase {
  /** Fixture case: fixtures/ethtool/<case>-request.hex and -reply.hex. */
  case: string;
  /** Compare our request's bytes with ethtool's (default true). */
  compare?: boolean;
}

/**
 * A transport serving requests by command from `cases` (cmd -> case). Each request must match
 * ethtool's bytes unless `compare: false`; `log` lists the commands asked.
 */
export function replayTransport(
  cases: Record<number, string | ReplayCase | ((attrs: Record<string, any>) => string | ReplayCase)>,
): EthtoolTransport & { log: number[] } {
  const log: number[] = [];
  return {
    log,
    async request(cmd: number, attrs: Record<string, unknown>): Promise<EthtoolMessage[]> {
      log.push(cmd);
      const entry = cases[cmd];
      assert.ok(entry, `no fixture for ethtool command ${cmd}`);
      const c = typeof entry === 'function' ? entry(attrs) : entry;
      const rc: ReplayCase = typeof c === 'string' ? { case: c } : c;
      const w = new Writer();
      compileSet(ethtoolRequests[cmd]!.attrs).encode(w, attrs, '');
      if (rc.compare !== false) {
        const want = firstAttrs(loadFixture(`ethtool/${rc.case}-request.hex`).bytes);
        assert.equal(want.cmd, cmd);
        assert.equal(hex(w.buf.slice(0, w.pos)), hex(zeroPadding(want.attrs)), `request for ${rc.case}`);
      }
      const reply = loadFixture(`ethtool/${rc.case}-reply.hex`).bytes;
      const out: EthtoolMessage[] = [];
      const view = new DataView(reply.buffer, reply.byteOffset, reply.byteLength);
      for (let at = 0; at < reply.length; ) {
        const len = view.getUint32(at, true);
        const type = view.getUint16(at + 4, true);
        if (type === 2) {
          const [m] = decode(reply.subarray(at, at + len));
          const err = (m!.body as { error: number }).error;
          if (err < 0)
            throw new NetlinkError(-err, ERRNO_NAMES[-err] ?? `E${-err}`, 'ethtool', (m!.attrs ?? {}) as never);
        } else {
          const k = reply[at + 16]!;
          const set = compileSet(ethtoolReplies[k]!.attrs);
          beginMessage(reply, at, at + len);
          out.push({ cmd: k, attrs: set.decode(reply, view, at + 20, at + len, '') });
        }
        at += (len + 3) & ~3;
      }
      return out;
    },
  };
}

const STRSET_STATS: Record<number, string> = {
  16: 'strset-stats-std',
  17: 'strset-stats-eth-phy',
  18: 'strset-stats-eth-mac',
  19: 'strset-stats-eth-ctrl',
  20: 'strset-stats-rmon',
};

/** STRSET_GET routed by string set id to the statistics captures (ETH_SS_STATS_STD and the groups'). */
export const statsStrsets = (attrs: Record<string, any>): string | ReplayCase => {
  const id = attrs.stringsets.stringset[0].id as number;
  return STRSET_STATS[id] ?? { case: 'strset-stats-std', compare: false }; // phydev's set was not captured
};
