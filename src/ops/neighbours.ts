/** PLACEHOLDER: in progress. */
import type { Rtnl } from './client.js';

export class Neighbours {
  constructor(private readonly nl: Rtnl) {}
}
