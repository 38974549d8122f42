import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.config.base';

// One build per runtime entry, chosen by the `exports` conditions of package.json. Both entries
// export the same names with the same types, so one set of declarations (from the Node entry)
// serves both. Cleaning is done by the build script: the two builds write into one dist/.
const shared = { ...packageBuild, clean: false, splitting: false };

export default defineConfig([
  { ...shared, entry: { index: 'src/index.node.ts' }, platform: 'node' },
  { ...shared, entry: { 'index.web': 'src/index.web.ts' }, dts: false, platform: 'neutral' },
]);
