/** PLACEHOLDER: in progress. */
import type { Rtnl } from './client.js';

export class Routes {
  constructor(private readonly nl: Rtnl) {}
}
