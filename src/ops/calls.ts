/**
 * The public call boundary: errors that point at the caller.
 *
 * A kernel error is created where its reply is read (the engine, on a later tick), so its stack
 * holds only rtnl's frames. Each public method of an op class is wrapped once, at load, in an
 * async function that awaits the method. When the call rejects with an RtnlError, the wrapper
 * captures the stack where it stands: V8's async stack traces then walk the chain of awaiting
 * functions, the caller's included. The error gets those frames and, for a NetlinkError, a
 * message that names the operation and its object: `links.set('nosuch'): no such link (ENODEV)`.
 *
 * Nothing is captured on success: capturing at every call (Error.captureStackTrace at entry)
 * costs about 2-4 µs in an async context, a fifth of a links.get(); the wrapper costs ~0.2 µs.
 * The price: a caller that does not await (plain .then()) gets no frames of its own.
 */
import { NetlinkError, RtnlError } from '../errors.js';

/** What the message shows of a call's arguments (its object), and what an errno means for it. */
export interface CallSpec {
  /** The arguments to show, e.g. `(o) => [o?.name]` for links.add(). Default: none. */
  show?: (...args: never[]) => unknown[];
  /** Text for errnos that mean something narrower here (ESRCH on a route: 'no such route'). */
  errnos?: Readonly<Record<string, string>>;
}

/** `'name'`, `5`, or compact JSON for objects, at most about 60 characters. */
function shown(v: unknown): string {
  if (typeof v === 'string') return `'${v.length > 60 ? `${v.slice(0, 57)}...` : v}'`;
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v);
  let json: string;
  try {
    json = JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}` : x)) ?? typeof v;
  } catch {
    json = typeof v;
  }
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

/** Give `err` the frames of the awaiting callers of `boundary` and name the operation in a NetlinkError's message. */
function blame(err: unknown, boundary: Function, operation: () => string, errnos?: CallSpec['errnos']): unknown {
  if (!(err instanceof RtnlError)) return err; // a bug in rtnl keeps its own stack
  if (err instanceof NetlinkError && err.operation === undefined) err.blame(operation(), errnos?.[err.code]);
  const here: { stack?: string } = {};
  Error.captureStackTrace(here, boundary);
  const frames = here.stack ?? '';
  const at = frames.indexOf('\n');
  err.stack = `${err.name}: ${err.message}${at < 0 ? '' : frames.slice(at)}`;
  return err;
}

/**
 * Wrap the promise-returning methods of `cls` named in `specs`, so that their errors point at the
 * caller and name the operation `${ns}.${method}(${shown args})`.
 */
export function publicCalls<T extends object>(
  cls: { prototype: T },
  ns: string,
  specs: { [K in keyof T]?: CallSpec },
): void {
  const proto = cls.prototype as Record<string, unknown>;
  for (const name of Object.keys(specs)) {
    const spec = specs[name as keyof T] as CallSpec;
    const inner = proto[name] as (...args: unknown[]) => Promise<unknown>;
    const show = (spec.show ?? (() => [])) as (...args: unknown[]) => unknown[];
    const outer = async function (this: unknown, ...args: unknown[]): Promise<unknown> {
      try {
        return await inner.apply(this, args);
      } catch (err) {
        const operation = (): string => {
          try {
            return `${ns}.${name}(${show(...args)
              .map(shown)
              .join(', ')})`;
          } catch {
            return `${ns}.${name}(...)`; // arguments too odd to show
          }
        };
        throw blame(err, outer, operation, spec.errnos);
      }
    };
    Object.defineProperty(outer, 'name', { value: name });
    proto[name] = outer;
  }
}
