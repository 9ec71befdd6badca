// Long pure computations written as generators that yield now and then: run to the end at once
// (the CLI, tests), or in slices that give the event loop back between them (the agent, which must
// keep following its journal and answering health checks while it plans).
import { setImmediate as nextTurn } from 'node:timers/promises';

/** A computation that yields between pieces of work and returns T. */
export type Slices<T> = Generator<void, T, void>;

export function runToEnd<T>(work: Slices<T>): T {
  for (;;) {
    const r = work.next();
    if (r.done) return r.value;
  }
}

/** Runs the work, giving the event loop a turn whenever a slice has taken `sliceMs` or more. */
export async function runInSlices<T>(work: Slices<T>, sliceMs: number): Promise<T> {
  let start = performance.now();
  for (;;) {
    const r = work.next();
    if (r.done) return r.value;
    if (performance.now() - start >= sliceMs) {
      await nextTurn();
      start = performance.now();
    }
  }
}
