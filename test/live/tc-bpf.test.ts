// cls_bpf live: an eBPF program loaded here (test/helpers/bpf.ts, `r0 = TC_ACT_OK; exit`) attached
// by fd in direct-action mode, through the library and through the CLI (the fd handed down to the
// child), and classic BPF bytecode through the CLI; each compared with `tc -j filter show`.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { test, type TestContext } from 'node:test';
import { BpfUnavailable, loadTcOkProgram, type LoadedProg } from '../helpers/bpf.js';
import { needsRoot, openFds, withTestNetns } from '../helpers/netns.js';
import { builtCli, ROOT } from '../cli/helpers.js';

const tc = (ns: string, ...args: string[]): string =>
  execFileSync('tc', ['-n', ns, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** Run the CLI with `fd` as its file descriptor 3. */
function rtnlWithFd(args: string[], fd: number): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [builtCli().bin, ...args], {
      cwd: ROOT,
      env: builtCli().env(),
      stdio: ['ignore', 'pipe', 'pipe', fd],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status: status ?? 1, stdout, stderr }));
  });
}

/** `rtnl -n NS tc filter add dev t0 PARENT pref PREF bpf BPF...` (with `fd` as its fd 3); must exit 0. */
async function cliAddBpf(ns: string, parent: string, pref: string, bpf: string[], fd = 0): Promise<void> {
  const add = await rtnlWithFd(['-n', ns, 'tc', 'filter', 'add', 'dev', 't0', parent, 'pref', pref, 'bpf', ...bpf], fd);
  assert.equal(add.status, 0, add.stderr);
}

function load(t: TestContext): LoadedProg | undefined {
  try {
    return loadTcOkProgram();
  } catch (err) {
    if (err instanceof BpfUnavailable) {
      t.skip(err.message);
      return undefined;
    }
    throw err;
  }
}

/**
 * tc 6.1 built with libbpf prints the program as `prog: { id, name, tag, jited }`, asking the
 * kernel about it by id through bpf(2); rtnl prints the tag from TCA_BPF_TAG, as tc does when it
 * cannot ask. Both say the same program: the id and tag are compared, then the rest as is.
 */
function sameProgram(ours: any[], theirs: any[], ids: number[]): void {
  const t = theirs.filter((f) => f.options?.prog);
  const o = ours.filter((f) => f.options?.tag);
  assert.deepEqual(
    t.map((f) => f.options.prog.id),
    ids,
  );
  assert.deepEqual(
    t.map((f) => f.options.prog.tag),
    o.map((f) => f.options.tag),
  );
  for (const f of t) delete f.options.prog;
  for (const f of o) delete f.options.tag;
  assert.deepEqual(ours, theirs);
}

test('bpf: an eBPF program by fd, direct-action, on a clsact ingress, as tc -j shows it', {
  skip: needsRoot,
}, async (t) => {
  const prog = load(t);
  if (!prog) return;
  const fds = openFds();
  try {
    await withTestNetns(async (ns, nl) => {
      await nl.links.add({ name: 't0', kind: 'veth', peer: { name: 't1' } });
      await nl.tc.qdiscs.add({ dev: 't0', kind: 'clsact' });
      await nl.tc.filters.add({
        dev: 't0',
        parent: 'ingress',
        pref: 1,
        kind: 'bpf',
        bpf: { fd: prog.fd, name: 'rtnl_ok', directAction: true },
      });
      const ours = await nl.tc.filters.list({ dev: 't0', parent: 'ingress' });
      const f = ours.find((x) => x.handle)!;
      const o = f.options as any;
      assert.equal(o.name, 'rtnl_ok');
      assert.equal(o.flags, 1); // TCA_BPF_FLAG_ACT_DIRECT
      const [, theirs] = JSON.parse(tc(ns, '-j', 'filter', 'show', 'dev', 't0', 'ingress'));
      assert.equal(theirs.options['direct-action'], true);
      assert.equal(theirs.options.bpf_name, 'rtnl_ok');
      assert.equal(theirs.options.prog.id, o.id);
      assert.equal(theirs.options.prog.tag, Buffer.from(o.tag).toString('hex'));

      // The CLI: the same, with the fd handed down as its fd 3, shown as tc shows it.
      await cliAddBpf(ns, 'ingress', '2', ['fd', '3', 'name', 'cli_ok', 'da'], prog.fd);
      const show = await rtnlWithFd(['-n', ns, '-j', 'tc', 'filter', 'show', 'dev', 't0', 'ingress'], 0);
      assert.equal(show.status, 0, show.stderr);
      const ids = (await nl.tc.filters.list({ dev: 't0', parent: 'ingress' }))
        .filter((x) => x.handle)
        .map((x) => (x.options as any).id);
      assert.equal(ids.length, 2);
      sameProgram(JSON.parse(show.stdout), JSON.parse(tc(ns, '-j', 'filter', 'show', 'dev', 't0', 'ingress')), ids);
      // tc's text, with its program line (id, name, tag, jited) as rtnl's fallback prints it (tag)
      const text = await rtnlWithFd(['-n', ns, 'tc', 'filter', 'show', 'dev', 't0', 'ingress'], 0);
      assert.equal(
        text.stdout,
        tc(ns, 'filter', 'show', 'dev', 't0', 'ingress').replace(/id \d+ name \S+ (tag \S+) jited /g, '$1 '),
      );

      assert.equal(await nl.tc.filters.delete({ dev: 't0', parent: 'ingress', pref: 1 }), true);
      assert.equal(await nl.tc.filters.delete({ dev: 't0', parent: 'ingress', pref: 2 }), true);
      assert.equal(tc(ns, 'filter', 'show', 'dev', 't0', 'ingress').trim(), '');
    });
  } finally {
    prog.close();
  }
  assert.equal(openFds(), fds - 1, 'the program fd is closed, nothing else left open');
});

test('bpf: classic BPF bytecode through the CLI, as tc -j and tc show it', { skip: needsRoot }, async () => {
  await withTestNetns(async (ns, nl) => {
    await nl.links.add({ name: 't0', kind: 'veth', peer: { name: 't1' } });
    await nl.tc.qdiscs.add({ dev: 't0', kind: 'clsact' });
    // ld len; jeq #60 (else skip one); ret #-1 (the whole packet); ret #0
    await cliAddBpf(ns, 'egress', '3', [
      'bytecode',
      '4,128 0 0 0,21 0 1 60,6 0 0 4294967295,6 0 0 0',
      'classid',
      '1:1',
    ]);
    const j = await rtnlWithFd(['-n', ns, '-j', 'tc', 'filter', 'show', 'dev', 't0', 'egress'], 0);
    assert.deepEqual(JSON.parse(j.stdout), JSON.parse(tc(ns, '-j', 'filter', 'show', 'dev', 't0', 'egress')));
    const text = await rtnlWithFd(['-n', ns, 'tc', 'filter', 'show', 'dev', 't0', 'egress'], 0);
    assert.equal(text.stdout, tc(ns, 'filter', 'show', 'dev', 't0', 'egress'));
    assert.equal(await nl.tc.filters.delete({ dev: 't0', parent: 'egress', pref: 3 }), true);
  });
});
