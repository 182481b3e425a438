/** The ipvtap link kind: an ipvlan with a character device; same data and options (under `ipvlan`). */
import { ipvlanKind } from './ipvlan.js';

export default ipvlanKind('ipvtap');
