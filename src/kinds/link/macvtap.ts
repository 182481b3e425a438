/** The macvtap link kind: a macvlan with a character device; same data and options (under `macvlan`). */
import { macvlanKind } from './macvlan.js';

export default macvlanKind('macvtap');
