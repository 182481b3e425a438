/** PLACEHOLDER: in progress. */
import type { Rtnl } from './client.js';

export class Addresses {
  constructor(private readonly nl: Rtnl) {}
}
