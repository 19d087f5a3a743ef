import { describe, expect, it } from 'vitest';
import { swapConcurrently, type SwapLane } from './concurrent.ts';
import type { Rect } from './region.ts';

const square = (x: number, y = 0): Rect => ({ x, y, width: 10, height: 10 });
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Two lanes that take `ms[face]` per face, logging when each face starts and ends and on which lane. */
function loggedLanes(ms: number[], fail?: number) {
  const log: string[] = [];
  let running = 0;
  let most = 0;
  const lane = (name: string): SwapLane => async (face) => {
    log.push(`start ${face} ${name}`);
    most = Math.max(most, ++running);
    await pause(ms[face]);
    running--;
    if (face === fail) throw new Error(`face ${face} failed`);
    log.push(`end ${face}`);
  };
  return { lanes: [lane('a'), lane('b')], log, most: () => most };
}

describe('swapConcurrently', () => {
  it('swaps faces that lie apart at once, each once', async () => {
    const { lanes, log, most } = loggedLanes([30, 30, 30, 30]);
    const swapped: number[] = [];
    await swapConcurrently([square(0), square(20), square(40), square(60)], lanes, (face) => swapped.push(face));
    expect(most()).toBe(2);
    expect(swapped.sort()).toEqual([0, 1, 2, 3]);
    expect(log.filter((l) => l.startsWith('start')).map((l) => l.split(' ')[1]).sort()).toEqual(['0', '1', '2', '3']);
  });

  it('starts a face only once every earlier face that overlaps it is done, and meanwhile swaps faces apart', async () => {
    // Face 1 overlaps face 0; face 2 overlaps neither; face 3 overlaps face 1.
    const { lanes, log } = loggedLanes([40, 10, 10, 10]);
    await swapConcurrently([square(0), square(5), square(40), square(9, 5)], lanes, () => {});
    const started = (face: number) => log.findIndex((l) => l.startsWith(`start ${face} `));
    const ended = (face: number) => log.indexOf(`end ${face}`);
    expect(started(1)).toBeGreaterThan(ended(0));
    expect(started(3)).toBeGreaterThan(ended(1));
    // Face 2 does not wait for face 0.
    expect(ended(2)).toBeLessThan(ended(0));
  });

  it('starts no face after a failure, waits for the one under way, then throws the failure', async () => {
    const { lanes, log } = loggedLanes([10, 40, 10, 10], 0);
    await expect(swapConcurrently([square(0), square(20), square(40), square(60)], lanes, () => {})).rejects.toThrow('face 0 failed');
    expect(log).toContain('end 1');
    expect(log.filter((l) => l.startsWith('start')).length).toBe(2);
  });

  it('starts no face once aborted', async () => {
    const stop = new AbortController();
    const { lanes, log } = loggedLanes([20, 20, 20, 20]);
    const swapped: number[] = [];
    const run = swapConcurrently([square(0), square(20), square(40), square(60)], lanes, (face) => swapped.push(face), stop.signal);
    await pause(5);
    stop.abort();
    await run;
    expect(swapped.sort()).toEqual([0, 1]);
    expect(log.filter((l) => l.startsWith('start')).length).toBe(2);
  });
});
