// Runs pureircd's CLI from a given build directory: `node launch.mjs DIST [pureircd args]`.
// Lets a benchmark use a private snapshot (npx tsc -p . --outDir bench/.dist) while others
// rebuild dist/ under it.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [dist, ...args] = process.argv.slice(2);
const { main } = await import(pathToFileURL(path.resolve(dist, 'src/shell/cli.js')).href);
process.exit(await main(args));
