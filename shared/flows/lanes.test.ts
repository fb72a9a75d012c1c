import { describe, expect, it } from 'vitest';
import { inLanes } from './lanes';

const tick = () => new Promise((r) => setTimeout(r, 2));

describe('inLanes', () => {
  it('keeps a lane in order, runs lanes at once, and never more than the limit', async () => {
    const items = ['a1', 'b1', 'a2', 'c1', 'd1', 'a3', 'e1'];
    const log: string[] = [];
    let running = 0;
    let most = 0;
    await inLanes(
      items,
      (i) => i[0]!,
      3,
      async (item) => {
        most = Math.max(most, ++running);
        log.push(item);
        await tick();
        running--;
      },
    );
    expect(most).toBe(3);
    expect(log.filter((i) => i.startsWith('a'))).toEqual(['a1', 'a2', 'a3']);
    expect([...log].sort()).toEqual([...items].sort());
  });

  it('runs every item when some throw, then throws the first error', async () => {
    const done: string[] = [];
    const run = inLanes(
      ['a1', 'a2', 'b1'],
      (i) => i[0]!,
      2,
      async (item) => {
        await tick();
        if (item === 'a1') throw new Error('a1 failed');
        done.push(item);
      },
    );
    await expect(run).rejects.toThrow('a1 failed');
    expect(done.sort()).toEqual(['a2', 'b1']);
  });
});
