/// <reference types="vite/client" />
/**
 * Import boundaries, read from the sources: the adapters take their content types from
 * ./channel.ts, never from the database schema, and the schema's files import no loop.
 */
import { describe, expect, it } from 'vitest';

const channelSources = import.meta.glob<string>(['./**/*.ts', '!./**/*.test.ts'], {
  query: '?raw',
  import: 'default',
  eager: true,
});
const schemaSources = import.meta.glob<string>('../db/schema/**/*.ts', {
  query: '?raw',
  import: 'default',
  eager: true,
});

const importsOf = (source: string) =>
  [...source.matchAll(/(?:import|export)[^'"]*?from\s+'([^']+)'/g)].map((m) => m[1]!);

/** Resolves a relative import of `from` (a glob key such as `../db/schema/x/y.ts`) to another glob key. */
function resolve(from: string, target: string): string {
  const parts = from.split('/').slice(0, -1);
  for (const segment of target.split('/')) {
    if (segment === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else if (segment !== '.') parts.push(segment);
  }
  return `${parts.join('/')}.ts`;
}

describe('import boundaries', () => {
  it('shared/channels imports no database schema', () => {
    expect(Object.keys(channelSources).length).toBeGreaterThan(5);
    for (const [file, source] of Object.entries(channelSources)) {
      expect(
        importsOf(source).filter((i) => i.includes('db/')),
        file,
      ).toEqual([]);
    }
  });

  it('the schema files import one another without a loop', () => {
    const graph = new Map(
      Object.entries(schemaSources).map(([file, source]) => [
        file,
        importsOf(source)
          .filter((i) => i.startsWith('.'))
          .map((i) => resolve(file, i))
          .filter((target) => target in schemaSources),
      ]),
    );
    expect(graph.size).toBeGreaterThan(10);
    const loops: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, path: string[]) => {
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) {
        if (state.get(next) === 'open') loops.push([...path.slice(path.indexOf(next)), next].join(' -> '));
        else if (!state.has(next)) visit(next, [...path, next]);
      }
      state.set(file, 'done');
    };
    for (const file of graph.keys()) if (!state.has(file)) visit(file, [file]);
    expect(loops).toEqual([]);
  });
});
