// `diagnose --html FILE`: one step after the replay, writing the report file (src/report builds it).
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Incident, Observation } from '../correlate/types.js';
import { UsageError } from '../errors.js';
import { gridOf } from '../report/code-hours.js';
import { diagnoseReport } from '../report/report-file.js';

export function writeHtmlReport(file: string, inputs: string[], incidents: Incident[], observations: Observation[], until: number): void {
  const coded = observations.flatMap((o) => (o.type === 'app-code' ? [{ code: o.code, time: o.time }] : []));
  const html = diagnoseReport({ inputs: inputs.map((f) => basename(f)), incidents, grid: gridOf(coded, until), until });
  try {
    writeFileSync(file, html);
  } catch (err) {
    throw new UsageError(`--html ${file}: cannot write the report: ${(err as Error).message} (check the directory exists and is writable)`);
  }
}
