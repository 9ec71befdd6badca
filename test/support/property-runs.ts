// How many cases a property test tries. Small by default so the unit suite stays quick; set
// WATCHDOG_PROPERTY_RUNS=N to multiply every count by N (a soak before a release, or a hunt).
const scale = Number(process.env.WATCHDOG_PROPERTY_RUNS ?? '1');

export function propertyRuns(runs: number): number {
  return Math.max(1, Math.round(runs * (Number.isFinite(scale) && scale > 0 ? scale : 1)));
}
