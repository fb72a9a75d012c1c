/**
 * The console's initial load stays under 300 KB gzipped, and the editor (CodeMirror) and chart
 * (uPlot) chunks are not part of it: they load on the template and results pages only.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const built = path.resolve(import.meta.dirname, '..', '..', 'dist', 'assets');
const LIMIT = 300 * 1024;

describe('console bundle (npm run build:console)', () => {
  it('loads under 300 KB gzipped on first visit, without the editor or chart chunks', () => {
    const html = readFileSync(path.join(built, 'console', 'index.html'), 'utf8');
    const files = [...html.matchAll(/(?:src|href)="\/console\/(assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(files.some((f) => f.endsWith('.js'))).toBe(true);
    const sizes = files.map((f) => ({ f, gz: gzipSync(readFileSync(path.join(built, 'console', f))).length }));
    const total = gzipSync(html).length + sizes.reduce((sum, s) => sum + s.gz, 0);
    console.log(
      `console initial load: ${(total / 1024).toFixed(1)} KB gzipped (${sizes.map((s) => `${s.f} ${(s.gz / 1024).toFixed(1)} KB`).join(', ')})`,
    );
    expect(total).toBeLessThan(LIMIT);
    expect(files.join(' ')).not.toMatch(/template-editor|recovery-chart/);
    for (const { f } of sizes)
      expect(readFileSync(path.join(built, 'console', f), 'utf8')).not.toContain('cm-lintRange');
  });
});
