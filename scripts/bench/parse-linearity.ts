// Benchmark: the logrus parser's cost per byte on a 1 MB adversarial line against a 10 KB line of the
// same shape. A linear parser stays near 1x; a quadratic one shows ~100x.
import { performance } from 'node:perf_hooks';
import { ADVERSARIAL_LINES } from '../../src/sources/logrus/adversarial-lines.js';
import { parseLogrusLine } from '../../src/sources/logrus/parse.js';
import type { BenchResult } from './pipeline.js';

// Memory effects (a 1 MB decoded string, its garbage) cost a few times per byte; quadratic work costs ~100×.
const GOAL = 10;

/** The best of five rounds of at least `minMs` each, in ms per byte. */
function costPerByte(line: string, minMs: number): number {
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    let runs = 0;
    const start = performance.now();
    let elapsed = 0;
    while (elapsed < minMs) {
      parseLogrusLine(line);
      runs++;
      elapsed = performance.now() - start;
    }
    best = Math.min(best, elapsed / runs / line.length);
  }
  return best;
}

export function benchParseLinearity(): BenchResult[] {
  let worst = { name: '', ratio: 0 };
  for (const [name, make] of Object.entries(ADVERSARIAL_LINES)) {
    const ratio = costPerByte(make(1_000_000), 40) / costPerByte(make(10_000), 40);
    console.log(`logrus parse ${name}: cost per byte 1 MB / 10 KB ×${ratio.toFixed(2)}`);
    if (ratio > worst.ratio) worst = { name, ratio };
  }
  console.log(`logrus parse, worst shape ${worst.name}: ×${worst.ratio.toFixed(2)} (goal ≤ ${GOAL}): ${worst.ratio <= GOAL ? 'met' : 'NOT MET'}`);
  return [{ name: `logrus parse cost per byte 1 MB/10 KB, worst (${worst.name})`, value: Number(worst.ratio.toFixed(2)), unit: 'x', goal: `<= ${GOAL}` }];
}
