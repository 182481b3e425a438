/** PLACEHOLDER: in progress. */
import type { Rtnl } from './client.js';

export class Rules {
  constructor(private readonly nl: Rtnl) {}
}
