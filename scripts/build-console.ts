/**
 * `npm run build:console` (run by `npm start` and `npm test`): the console's API types from the
 * gateway's /openapi.json, then the Vite build into dist/assets (see console/vite.config.ts).
 *
 * Env: ORDERBELL_CONSOLE_PREBUILT=1 skips the build (the test stacks set it: `npm test` has just
 * built, and two stacks starting at once must not rebuild the directory the other one serves).
 */
import path from 'node:path';
import { build } from 'vite';
import { writeApiTypes } from './lib/console-api.ts';
import { root } from './lib/paths.ts';

if (process.env.ORDERBELL_CONSOLE_PREBUILT === '1') {
  console.log('Console: prebuilt (ORDERBELL_CONSOLE_PREBUILT=1), not rebuilt');
} else {
  const started = performance.now();
  const paths = await writeApiTypes();
  await build({ configFile: path.join(root, 'console', 'vite.config.ts'), logLevel: 'warn' });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`Console: ${paths} API paths typed, built into dist/assets  [${seconds}s]`);
}
