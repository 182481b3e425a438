/**
 * A minimal eBPF loader for the tests (test code, so it calls koffi itself; rtnl's library never
 * loads programs): BPF_PROG_LOAD through bpf(2) of a SCHED_CLS program of two instructions,
 * `r0 = TC_ACT_OK; exit`, licensed "GPL". The numbers come from the generated constants.
 */
import koffi from 'koffi';
import * as C from '../../src/codec/constants/index.js';
import * as F from '../../src/ffi/constants.js';
import { errnoName } from '../../src/ffi/libc.js';

const lib = koffi.load('libc.so.6');
const syscall = lib.func('long syscall(long nr, ...)');
const close = lib.func('int close(int fd)');

// The BPF_PROG_LOAD member of union bpf_attr, as far as this loader fills it (the kernel takes a
// shorter attr and treats the rest as zero). Pointers are 8 bytes here, as the __aligned_u64s.
const progLoadAttr = koffi.struct('rtnl_test_bpf_prog_load_attr', {
  progType: 'uint32',
  insnCnt: 'uint32',
  insns: 'void *',
  license: 'const char *',
  logLevel: 'uint32',
  logSize: 'uint32',
  logBuf: 'void *',
  kernVersion: 'uint32',
  progFlags: 'uint32',
  progName: koffi.array('uint8', 16, 'Typed'),
});

/** struct bpf_insn: code, dst_reg (low nibble) and src_reg, off, imm. */
function insn(code: number, dst: number, src: number, off: number, imm: number): Uint8Array {
  const b = new Uint8Array(8);
  const v = new DataView(b.buffer);
  v.setUint8(0, code);
  v.setUint8(1, (src << 4) | dst);
  v.setInt16(2, off, true);
  v.setInt32(4, imm, true);
  return b;
}

export interface LoadedProg {
  fd: number;
  close(): void;
}

/** The errno of a failed load, as a reason to skip with. */
export class BpfUnavailable extends Error {
  constructor(
    readonly errno: number,
    log: string,
  ) {
    super(`bpf(BPF_PROG_LOAD) failed: ${errnoName(errno)}${log ? `: ${log}` : ''}`);
  }
}

/** Load `r0 = TC_ACT_OK; exit` as a BPF_PROG_TYPE_SCHED_CLS program; returns its fd. */
export function loadTcOkProgram(name = 'rtnl_ok'): LoadedProg {
  const insns = new Uint8Array(16);
  insns.set(insn(F.BPF_ALU64 | F.BPF_MOV | F.BPF_K, 0, 0, 0, C.TC_ACT_OK), 0);
  insns.set(insn(F.BPF_JMP | F.BPF_EXIT, 0, 0, 0, 0), 8);
  const log = Buffer.alloc(64 * 1024);
  const progName = new Uint8Array(16);
  progName.set(Buffer.from(name.slice(0, 15)));
  const attr = {
    progType: F.BPF_PROG_TYPE_SCHED_CLS,
    insnCnt: 2,
    insns,
    license: 'GPL',
    logLevel: 1,
    logSize: log.length,
    logBuf: log,
    kernVersion: 0,
    progFlags: 0,
    progName,
  };
  const fd = Number(
    syscall(
      F.__NR_bpf,
      'int',
      F.BPF_PROG_LOAD,
      koffi.pointer(progLoadAttr),
      attr,
      'unsigned int',
      koffi.sizeof(progLoadAttr),
    ),
  );
  if (fd < 0) {
    const errno = koffi.errno();
    throw new BpfUnavailable(
      errno,
      log
        .toString('utf8')
        .replace(/\0[\s\S]*$/, '')
        .trim(),
    );
  }
  let open = true;
  return {
    fd,
    close() {
      if (open) close(fd);
      open = false;
    },
  };
}
