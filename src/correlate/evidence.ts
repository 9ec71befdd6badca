// Bounded proof for an incident: a partition logs a session failure every few seconds for as long as
// it lasts, but an operator needs only the first and the last line of each kind, and memory must not grow.
import type { EvidenceLine } from './types.js';

/** Adds a line in time order, keeping at most the earliest and latest line of each rule and `cap` lines in all. */
export function addEvidence(list: EvidenceLine[], line: EvidenceLine, cap: number): void {
  const same = list.filter((l) => l.rule === line.rule);
  if (same.length >= 2) {
    const first = same[0]!;
    const last = same[same.length - 1]!;
    if (line.time < first.time) replace(list, first, line);
    else if (line.time >= last.time) replace(list, last, line);
    // a line between the first and the last of its rule adds nothing an operator needs
    return;
  }
  if (list.some((l) => l.rule === line.rule && l.time === line.time && l.message === line.message)) return;
  if (list.length >= cap && !makeRoom(list)) return;
  insertSorted(list, line);
}

function replace(list: EvidenceLine[], old: EvidenceLine, line: EvidenceLine): void {
  list.splice(list.indexOf(old), 1);
  insertSorted(list, line);
}

function insertSorted(list: EvidenceLine[], line: EvidenceLine): void {
  let i = list.length;
  while (i > 0 && list[i - 1]!.time > line.time) i--;
  list.splice(i, 0, line);
}

/** At the cap, a new rule is worth more than the second line of an old one: drop the latest line of the first rule that has two. */
function makeRoom(list: EvidenceLine[]): boolean {
  const seen = new Set<string>();
  for (const l of list) {
    if (!seen.has(l.rule)) {
      seen.add(l.rule);
      continue;
    }
    list.splice(list.indexOf(l), 1);
    return true;
  }
  return false;
}
