// `npm run bench`: the speed and memory targets (never timed unit tests). Prints one line per figure.
import { benchPipeline } from './pipeline.js';
import { benchPlanner } from './planner.js';
import { benchParseLinearity } from './parse-linearity.js';

const results = [...(await benchPipeline()), ...(await benchPlanner()), ...benchParseLinearity()];
const width = Math.max(...results.map((r) => r.name.length));
for (const r of results) {
  const value = Number.isInteger(r.value) ? String(r.value) : r.value.toFixed(2);
  console.log(`${r.name.padEnd(width)}  ${value.padStart(12)} ${r.unit}${r.goal ? `   (goal: ${r.goal})` : ''}`);
}
