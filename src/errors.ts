/**
 * Error classes. Every error rtnl raises is an RtnlError with a stable `code`, so
 * `err.code === 'EEXIST'` works as it does for Node's own errors.
 */

/** Base class of every error rtnl raises. */
export class RtnlError extends Error {
  /** A stable, machine-readable code ('EEXIST', 'ERR_RTNL_DECODE', ...). */
  readonly code: string;
  constructor(message: string, code: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Malformed netlink bytes. `offset` is from the start of the buffer, `path` names the attribute. */
export class DecodeError extends RtnlError {
  /** Byte offset of the bad TLV or header, from the start of the buffer. */
  readonly offset: number;
  /** Dotted path of the attribute being decoded, e.g. 'RTM_NEWROUTE.multipath[1]'. */
  readonly path: string;
  constructor(message: string, offset: number, path = '') {
    super(`${message} at offset ${offset}${path ? ` (${path})` : ''}`, 'ERR_RTNL_DECODE');
    this.offset = offset;
    this.path = path;
  }
}

/** A value that cannot be encoded (wrong type, out of range, unknown key). `path` names it. */
export class EncodeError extends RtnlError {
  /** Dotted path of the value that cannot be encoded, e.g. 'linkinfo.data.nosuch'. */
  readonly path: string;
  constructor(message: string, path = '') {
    super(path ? `${path}: ${message}` : message, 'ERR_RTNL_ENCODE');
    this.path = path;
  }
}

/** Extended-ACK attributes (NLMSGERR_ATTR_*) that came with an error, an ACK or NLMSG_DONE. */
export interface ExtAck {
  /** NLMSGERR_ATTR_MSG: the kernel's text. */
  msg?: string;
  /** NLMSGERR_ATTR_OFFS: offset of the offending attribute in the request. */
  offs?: number;
  /** NLMSGERR_ATTR_COOKIE. */
  cookie?: Uint8Array;
  /** NLMSGERR_ATTR_POLICY: the policy the attribute failed (raw nested attributes). */
  policy?: Uint8Array;
  /** NLMSGERR_ATTR_MISS_TYPE: a required attribute that was missing. */
  missType?: number;
  /** NLMSGERR_ATTR_MISS_NEST: offset of the nest it was missing from. */
  missNest?: number;
}

/**
 * What the common errnos of rtnetlink requests mean, as short lower-case text (the C library's
 * wording, except where rtnetlink gives the errno a narrower sense). Others show their code only.
 */
const ERRNO_TEXT: Readonly<Record<string, string>> = {
  EPERM: 'operation not permitted',
  ENOENT: 'no such file or directory',
  ESRCH: 'no such process',
  ENXIO: 'no such device or address',
  E2BIG: 'argument list too long',
  EBADF: 'bad file descriptor',
  EAGAIN: 'resource temporarily unavailable',
  ENOMEM: 'out of memory',
  EACCES: 'permission denied',
  EBUSY: 'device or resource busy',
  EEXIST: 'already exists',
  EXDEV: 'invalid cross-device link',
  ENODEV: 'no such link',
  EINVAL: 'invalid argument',
  EMFILE: 'too many open files',
  ENOSPC: 'no space left on device',
  EMLINK: 'too many links',
  ERANGE: 'numerical result out of range',
  ELOOP: 'too many levels of nesting',
  ENOTEMPTY: 'not empty',
  ENODATA: 'no data available',
  EOVERFLOW: 'value too large for defined data type',
  EMSGSIZE: 'message too long',
  EPROTONOSUPPORT: 'protocol not supported',
  EOPNOTSUPP: 'operation not supported',
  EAFNOSUPPORT: 'address family not supported by protocol',
  EADDRINUSE: 'address already in use',
  EADDRNOTAVAIL: 'cannot assign requested address',
  ENETDOWN: 'network is down',
  ENETUNREACH: 'network is unreachable',
  ENOBUFS: 'no buffer space available',
  EHOSTUNREACH: 'no route to host',
  EALREADY: 'operation already in progress',
};

/** The kernel rejected a request. `errno` is positive; `code` is its name ('ENODEV'). */
export class NetlinkError extends RtnlError {
  /** The positive errno the kernel returned (`code` is its name). */
  readonly errno: number;
  /** The kernel's extended-ACK text, when it gave one. */
  readonly extack: ExtAck;
  /** The attribute of our request that the kernel's NLMSGERR_ATTR_OFFS points at, e.g. 'linkinfo.data.id'. */
  readonly attrPath: string | undefined;
  /** The request's message type name, e.g. 'RTM_NEWLINK'. */
  readonly request: string;
  /** The operation that failed and its object, e.g. `links.set('eth0')`; absent outside the typed operations. */
  operation: string | undefined;
  /** With ENODEV: the name of the link that does not exist, when a name was given. */
  link: string | undefined;
  constructor(errno: number, code: string, request: string, extack: ExtAck = {}, attrPath?: string) {
    const text = extack.msg ? `: ${extack.msg}` : '';
    const where = attrPath ? ` (at ${attrPath})` : '';
    super(`${request} failed with ${code}${text}${where}`, code);
    this.errno = errno;
    this.extack = extack;
    this.attrPath = attrPath;
    this.request = request;
    this.operation = undefined;
    this.link = undefined;
  }

  /**
   * @internal Name the operation in the message: `links.set('nosuch'): no such link (ENODEV)`.
   * `what` overrides the errno's text (`no such route`); the missing link is named unless the
   * operation already shows it.
   */
  blame(operation: string, what?: string): void {
    this.operation = operation;
    let text = what ?? ERRNO_TEXT[this.code] ?? 'failed';
    if (this.code === 'ENODEV' && this.link !== undefined && !operation.includes(`('${this.link}'`))
      text = `no such link "${this.link}"`;
    const ext = this.extack.msg ? `: ${this.extack.msg}` : '';
    const where = this.attrPath ? ` (at ${this.attrPath})` : '';
    this.message = `${operation}: ${text} (${this.code})${ext}${where}`;
  }
}

/** A dump was interrupted (NLM_F_DUMP_INTR) and the policy said to throw. `partial` holds what arrived. */
export class DumpInterruptedError extends RtnlError {
  /** The netlink messages that arrived before the policy gave up. */
  readonly partial: unknown[];
  constructor(request: string, partial: unknown[], attempts: number) {
    super(
      `${request} dump was interrupted by concurrent changes (${attempts} attempt${attempts === 1 ? '' : 's'})`,
      'EINTR',
    );
    this.partial = partial;
  }
}

/** Input rejected before anything was sent. `field` names the offending input. */
export class ValidationError extends RtnlError {
  /** Dotted name of the input that was refused, e.g. 'link.name' or 'route.gateway'. */
  readonly field: string;
  /** The refused value. */
  readonly value: unknown;
  constructor(field: string, message: string, value?: unknown) {
    super(`${field}: ${message}`, 'ERR_RTNL_VALIDATION');
    this.field = field;
    this.value = value;
  }
}

/** A libc call failed. */
export class SysError extends RtnlError {
  /** The libc call that failed, e.g. 'setns'. */
  readonly syscall: string;
  /** Its errno (`code` is its name). */
  readonly errno: number;
  constructor(syscall: string, errno: number, code: string, detail?: string) {
    super(`${syscall} failed: ${code}${detail ? ` (${detail})` : ''}`, code);
    this.syscall = syscall;
    this.errno = errno;
  }
}
