/**
 * glibc's allocator statistics, for the soak's memory samples: a diagnostic, not part of the
 * library (the library's own native calls all live in src/ffi). RSS alone cannot tell a native
 * leak (bytes malloc'd and never freed: `inUse` grows) from the allocator keeping freed memory
 * for reuse (`free` grows, `inUse` does not); mallinfo2() sums every arena, the main one and
 * those of the libuv pool and worker threads.
 */
import koffi from 'koffi';

const lib = koffi.load('libc.so.6');
const mallinfo2Struct = koffi.struct('rtnl_soak_mallinfo2', {
  arena: 'size_t',
  ordblks: 'size_t',
  smblks: 'size_t',
  hblks: 'size_t',
  hblkhd: 'size_t',
  usmblks: 'size_t',
  fsmblks: 'size_t',
  uordblks: 'size_t',
  fordblks: 'size_t',
  keepcost: 'size_t',
});
const mallinfo2 = lib.func('mallinfo2', mallinfo2Struct, []);
const mallocTrim = lib.func('int malloc_trim(size_t pad)');

export interface MallocStats {
  /** Bytes the arenas hold (sbrk'd and arena mmaps), plus mmap'd big blocks. */
  arena: number;
  /** Bytes in use by the program (small and big blocks). */
  inUse: number;
  /** Bytes free inside the arenas, kept for reuse. */
  free: number;
}

/** The allocator's totals now. */
export function mallocStats(): MallocStats {
  const m = mallinfo2() as Record<string, number | bigint>;
  const n = (k: string) => Number(m[k]);
  return { arena: n('arena') + n('hblkhd'), inUse: n('uordblks') + n('hblkhd'), free: n('fordblks') };
}

/** malloc_trim(0): give free arena memory back to the kernel (diagnostic: what RSS is only kept). */
export function mallocTrim0(): void {
  mallocTrim(0);
}
