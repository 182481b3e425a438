// tun/tap pieces that need no root: TUNSETIFF flags, and user/group names from passwd/group files.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import * as C from '../../src/codec/constants/index.js';
import { ValidationError } from '../../src/index.js';
import { idFiles, idName, resolveId } from '../../src/ops/ids.js';
import { tunFlags } from '../../src/ops/tuntap.js';

test('TUNSETIFF flags: no packet information unless pi, as ip tuntap', () => {
  assert.equal(tunFlags('tap', {}), C.IFF_TAP | C.IFF_NO_PI);
  assert.equal(tunFlags('tun', { pi: true }), C.IFF_TUN);
  assert.equal(
    tunFlags('tap', { vnetHdr: true, multiQueue: true, oneQueue: true }),
    C.IFF_TAP | C.IFF_NO_PI | C.IFF_VNET_HDR | C.IFF_MULTI_QUEUE | C.IFF_ONE_QUEUE,
  );
});

test('owner and group: numbers pass, names resolve from the files, unknown names are refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rtnl-ids-'));
  const saved = { ...idFiles };
  try {
    idFiles.passwd = join(dir, 'passwd');
    idFiles.group = join(dir, 'group');
    writeFileSync(idFiles.passwd, '# comment\nroot:x:0:0::/root:/bin/sh\nvmm:x:4242:4242::/:/bin/false\nbroken\n');
    writeFileSync(idFiles.group, 'root:x:0:\nkvm:x:993:vmm\n');
    assert.equal(resolveId('user', 'vmm', 'f'), 4242);
    assert.equal(resolveId('user', 7, 'f'), 7);
    assert.equal(resolveId('user', '8', 'f'), 8);
    assert.equal(resolveId('group', 'kvm', 'f'), 993);
    assert.equal(idName('user', 4242), 'vmm');
    assert.equal(idName('group', 12345), undefined);
    assert.throws(
      () => resolveId('user', 'nobody-here', 'link.tuntap.owner'),
      (e: unknown) =>
        e instanceof ValidationError && e.field === 'link.tuntap.owner' && /no user named/.test(e.message),
    );
    assert.throws(() => resolveId('group', 'vmm', 'g'), /no group named "vmm"/);
    assert.throws(() => resolveId('user', -1, 'u'), ValidationError);
  } finally {
    Object.assign(idFiles, saved);
    rmSync(dir, { recursive: true, force: true });
  }
});
