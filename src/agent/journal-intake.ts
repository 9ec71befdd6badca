// Turns journal records into this node's evidence: daemon lines through the rules, container lines
// into application codes, a new boot ID into a boot. Pure apart from the objects it is given.
import type { Observation } from '../correlate/types.js';
import type { CodeMatcher } from '../detect/app-codes.js';
import type { RuleEngine } from '../detect/rule-engine.js';
import type { DaemonEntry } from '../detect/types.js';
import { fieldText, realtimeMs, recordToEntry, type JournalRecord } from '../sources/journal-record.js';

export interface IntakeState {
  bootId?: string;
}

export interface Intake {
  entry?: DaemonEntry;
  observations: Observation[];
}

export function isContainerRecord(record: JournalRecord): boolean {
  return record.CONTAINER_ID !== undefined || record.CONTAINER_NAME !== undefined;
}

/** Swarm names task containers <service>.<slot>.<task id>; the journald driver's labels say it directly when configured. */
export function containerIdentity(record: JournalRecord): { service: string; taskId: string } {
  const name = fieldText(record.CONTAINER_NAME) ?? '';
  const parts = name.split('.');
  const service = fieldText(record.COM_DOCKER_SWARM_SERVICE_NAME) ?? (parts.length >= 3 ? parts.slice(0, -2).join('.') : name);
  const taskId = fieldText(record.COM_DOCKER_SWARM_TASK_ID) ?? (parts.length >= 3 ? parts[parts.length - 1] : fieldText(record.CONTAINER_ID) ?? name);
  return { service, taskId };
}

/** `ownService`: the watchdog's own stack service, whose output (journald driver) is not an application's. */
export function intake(record: JournalRecord, node: string, state: IntakeState, rules: RuleEngine, codes: CodeMatcher, ownService?: string): Intake {
  const observations: Observation[] = [];
  const time = realtimeMs(record) ?? 0;
  const bootId = fieldText(record._BOOT_ID);
  if (bootId && bootId !== state.bootId) {
    if (state.bootId) observations.push({ type: 'boot', time, node, bootId });
    state.bootId = bootId;
  }
  if (isContainerRecord(record)) {
    const who = containerIdentity(record);
    if (ownService && who.service === ownService) return { observations };
    const code = codes.codeOf(fieldText(record.MESSAGE) ?? '');
    if (code) observations.push({ type: 'app-code', time, node, ...who, code, reconnect: codes.isReconnect(code) });
    return { observations };
  }
  const entry = recordToEntry(record, node);
  for (const signal of rules.apply(entry)) observations.push({ type: 'signal', signal });
  return { entry, observations };
}
