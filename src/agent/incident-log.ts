import type { IncidentChange } from '../correlate/types.js';
import type { Logger } from '../log/logger.js';

/** Every incident change becomes one coded log line an operator can read on its own. */
export function logIncidentChange(log: Logger, change: IncidentChange): void {
  const i = change.incident;
  const fields = { incident: i.id, kind: i.kind, nodes: i.nodes, start: new Date(i.start).toISOString(), storm: i.storm, summary: i.summary };
  switch (change.change) {
    case 'opened':
    case 'reopened':
      log.log('WDG-INCIDENT-001', `${i.kind} incident ${change.change}: ${i.summary}`, fields);
      break;
    case 'updated':
      if (change.previousKind && change.previousKind !== i.kind) {
        log.log('WDG-INCIDENT-002', `incident reclassified ${change.previousKind} → ${i.kind}: ${i.summary}`, { ...fields, previousKind: change.previousKind });
      } else {
        log.debug('incident updated', { ...fields, evidence: i.evidenceCount });
      }
      break;
    case 'ended':
      log.log('WDG-INCIDENT-003', `${i.kind} incident ended: ${i.summary}`, { ...fields, end: i.end === null ? null : new Date(i.end).toISOString() });
      break;
  }
}
