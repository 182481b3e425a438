/** Prints the YNL coverage table of docs/CODEC-COVERAGE.md, and the spec sets rtnl does not walk. */
import { coverage, coverageTable, digest, walk } from '../test/helpers/ynl.js';

const w = walk();
console.log(coverageTable(coverage(w)));
console.log('\nSpec sets rtnl does not walk (kept as bytes, or families rtnl does not speak):');
for (const [spec, d] of Object.entries(digest)) {
  for (const [set, s] of Object.entries(d.sets)) {
    if (!w.named.get(spec)?.has(set)) console.log(`- ${spec}/${set} (${s.attrs.length})`);
  }
}
