/**
 * Builds the staff console into dist/assets/console (served by the gateway at /console through
 * Workers Static Assets) and copies the API reference viewer into dist/assets/docs for /docs.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import preact from '@preact/preset-vite';
import { defineConfig, type Plugin } from 'vite';

const assetsDir = path.resolve(import.meta.dirname, '..', 'dist', 'assets');

/** /docs loads Scalar's standalone bundle from the worker instead of a CDN. */
function docsViewer(): Plugin {
  return {
    name: 'orderbell-docs-viewer',
    apply: 'build',
    closeBundle() {
      const require = createRequire(import.meta.url);
      const standalone = require.resolve('@scalar/api-reference/browser/standalone.js');
      const docsDir = path.join(assetsDir, 'docs', 'assets');
      mkdirSync(docsDir, { recursive: true });
      copyFileSync(standalone, path.join(docsDir, 'scalar.js'));
      copyFileSync(path.resolve(import.meta.dirname, 'docs', 'init.js'), path.join(docsDir, 'init.js'));
    },
  };
}

export default defineConfig({
  root: import.meta.dirname,
  base: '/console/',
  plugins: [preact(), docsViewer()],
  build: {
    outDir: path.join(assetsDir, 'console'),
    emptyOutDir: true,
    // The editor chunk is loaded on the template page only and may be large; the rest must stay small.
    chunkSizeWarningLimit: 1000,
  },
});
