/** tc class: add, replace, change, delete and list classes. */
import * as C from '../codec/constants/index.js';
import type { NetlinkMessage } from '../codec/nlmsg.js';
import { ValidationError } from '../errors.js';
import type { TcKindPlugin } from '../kinds/tc/common.js';
import { isCode, listOf, req, type ListResult } from './common.js';
import {
  CREATE,
  deleteOptions,
  lazyClock,
  qdiscParent,
  REPLACE,
  TcBase,
  toTcObject,
  type TcClass,
} from './tc-common.js';
import { checkKeys, classidOf, classKinds, kindList, tcKindContext, type ClassKindOptions } from './tc-kinds.js';
import { assertNoPollution } from './validate.js';

/** An htb class. Equivalent to: tc class add dev DEV parent P classid C htb rate R [ceil C] ... */
export interface ClassSpec {
  dev: string | number;
  classid: string | number;
  parent?: string | number;
  /** The class kind: a plugin of src/kinds/tc/class ('htb'). */
  kind: keyof ClassKindOptions;
  options: ClassKindOptions[keyof ClassKindOptions];
}

export class Classes extends TcBase {
  /** List a device's classes (under `parent`, or all). Equivalent to: tc [-s] class show dev DEV [parent P] */
  async list(filter: { dev: string | number; parent?: string | number }): Promise<ListResult<TcClass>> {
    assertNoPollution(filter, 'filter');
    checkKeys(filter ?? null, ['dev', 'parent'], 'filter');
    const parent = filter.parent === undefined ? 0 : qdiscParent(filter.parent, 'filter.parent');
    const ifindex = await this.index(filter?.dev, 'filter.dev');
    const msgs = await this.nl.engine.dump(req('RTM_GETTCLASS', { family: C.AF_UNSPEC, ifindex, parent }), {
      onInterrupted: this.nl.options.onInterrupted,
    });
    const names = new Map([[ifindex, typeof filter.dev === 'string' ? filter.dev : String(filter.dev)]]);
    if (typeof filter.dev === 'number') names.clear();
    return listOf(
      msgs,
      (m) => m.type === 'RTM_NEWTCLASS' && (parent === 0 || m.body.parent === parent),
      (m) => toTcObject(m, names),
    );
  }

  /** Add a class. Equivalent to: tc class add dev DEV parent P classid C htb rate R ... */
  async add(spec: ClassSpec): Promise<void> {
    await this.nl.engine.request(await this.build(spec), CREATE);
  }
  /** Equivalent to: tc class replace dev DEV parent P classid C htb rate R ... */
  async replace(spec: ClassSpec): Promise<void> {
    await this.nl.engine.request(await this.build(spec), REPLACE);
  }
  /** Equivalent to: tc class change dev DEV parent P classid C htb rate R ... */
  async change(spec: ClassSpec): Promise<void> {
    await this.nl.engine.request(await this.build(spec), 0);
  }

  /** Delete a class. Equivalent to: tc class del dev DEV classid C */
  async delete(
    spec: { dev: string | number; classid: string | number },
    opts: { ifExists?: boolean } = {},
  ): Promise<boolean> {
    assertNoPollution(spec, 'class');
    checkKeys(spec ?? null, ['dev', 'classid'], 'class');
    const o = deleteOptions(opts);
    const handle = classidOf(spec.classid, 'class.classid');
    const ifindex = await this.index(spec.dev, 'class.dev');
    const body = { family: C.AF_UNSPEC, ifindex, handle, parent: 0 };
    try {
      await this.nl.engine.request(req('RTM_DELTCLASS', body));
      return true;
    } catch (err) {
      if (o.ifExists && isCode(err, 'ENOENT')) return false;
      throw err;
    }
  }

  private async build(spec: ClassSpec): Promise<NetlinkMessage> {
    assertNoPollution(spec, 'class');
    checkKeys(spec ?? null, ['dev', 'classid', 'parent', 'kind', 'options'], 'class');
    const kind = spec?.kind as string;
    const plugin =
      typeof kind === 'string' && Object.hasOwn(classKinds, kind)
        ? (classKinds[kind as keyof typeof classKinds] as TcKindPlugin<unknown>)
        : undefined;
    if (!plugin) throw new ValidationError('class.kind', `rtnl builds ${kindList(classKinds)} classes`, spec?.kind);
    if (plugin.keys) checkKeys(spec.options, plugin.keys, 'class.options');
    const handle = classidOf(spec.classid, 'class.classid');
    const parent =
      spec.parent === undefined ? (handle & C.TC_H_MAJ_MASK) >>> 0 : qdiscParent(spec.parent, 'class.parent');
    const options = plugin.toAttrs(spec.options ?? {}, tcKindContext(lazyClock, 'class.options'));
    const ifindex = await this.index(spec.dev, 'class.dev');
    return req('RTM_NEWTCLASS', { family: C.AF_UNSPEC, ifindex, handle, parent, info: 0 }, { kind, options });
  }
}
