// Turns what the sources read (journal records, text lines) into this node's evidence: daemon and
// Docker-unit lines through the rules, container lines into application codes, a new boot into a
// boot. The one place this happens: the agent, `watchdog diagnose`, `summary` and the bench all call it.
import type { Observation } from '../correlate/types.js';
import type { CodeMatcher } from '../detect/app-codes.js';
import type { RuleEngine } from '../detect/rule-engine.js';
import type { DaemonEntry } from '../sources/entry.js';
import { recordItem, type JournalRecord } from '../sources/journal-record.js';
import type { LineItem } from '../sources/line-item.js';

export { containerIdentity, isContainerRecord } from '../sources/journal-record.js';

/** Per node: the boot last seen (persisted by the agent), and whether any line was seen yet. */
export interface IntakeState {
  bootId?: string;
  seen?: boolean;
}

export interface Intake {
  entry?: DaemonEntry;
  observations: Observation[];
}

export interface IntakeDeps {
  rules: RuleEngine;
  codes: CodeMatcher;
  /** The watchdog's own stack service, whose output (journald driver) is not an application's. */
  ownService?: string;
}

function bootChange(node: string, time: number, bootId: string | undefined, state: IntakeState, explicit: boolean): Observation[] {
  const seenBefore = state.seen === true || state.bootId !== undefined;
  state.seen = true;
  if (bootId === undefined && !explicit) return [];
  if (bootId !== undefined && bootId === state.bootId) return [];
  const previous = state.bootId;
  const id = bootId ?? `${node}@${time}`;
  state.bootId = id;
  // A boot marker before any line of the node is where its log starts, not a reboot in it.
  return (explicit ? seenBefore : previous !== undefined) ? [{ type: 'boot', time, node, bootId: id }] : [];
}

/** One item → observations. `state` is the item's node's own. */
export function takeItem(item: LineItem, state: IntakeState, deps: IntakeDeps): Intake {
  switch (item.kind) {
    case 'daemon':
    case 'unit': {
      const { entry } = item;
      const observations = bootChange(entry.node, entry.time, entry.bootId, state, false);
      for (const signal of deps.rules.apply(entry)) observations.push({ type: 'signal', signal });
      return { entry, observations };
    }
    case 'container': {
      const observations = bootChange(item.node, item.time, item.bootId, state, false);
      if (deps.ownService && item.service === deps.ownService) return { observations };
      const code = deps.codes.codeOf(item.message);
      if (code) observations.push({ type: 'app-code', time: item.time, node: item.node, service: item.service, taskId: item.taskId, code, reconnect: deps.codes.isReconnect(code) });
      return { observations };
    }
    case 'boot':
      return { observations: bootChange(item.node, item.time, item.bootId, state, true) };
    default:
      return { observations: [] };
  }
}

/** The agent's path: one journal record of this node. */
export function intake(record: JournalRecord, node: string, state: IntakeState, deps: IntakeDeps): Intake {
  return takeItem(recordItem(record, node), state, deps);
}
