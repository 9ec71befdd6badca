// Hand-made signals mirroring fixtures/A-worker3-partition line by line (time, node, meaning), for
// correlator tests that must not wait for the parser and rules. Only lines a rule would match are here.
import type { Signal, SignalKind } from '../detect/types.js';

type Row = [time: string, node: string, kind: SignalKind, errorClass: string | undefined, message: string, nodeId?: string, subject?: string];

const ROWS: Row[] = [
  ['01:44:23.334014990Z', 'node2', 'gossip-suspect', undefined, 'memberlist: Suspect c5006b5f915a has failed, no acks received', undefined, 'c5006b5f915a'],
  ['01:44:23.388087078Z', 'node3', 'gossip-suspect', undefined, 'memberlist: Suspect 5ae84201f1a9 has failed, no acks received', undefined, '5ae84201f1a9'],
  ['01:44:25.166589767Z', 'node1', 'gossip-suspect', undefined, 'memberlist: Suspect c5006b5f915a has failed, no acks received', undefined, 'c5006b5f915a'],
  ['01:44:25.389337648Z', 'node3', 'gossip-suspect', undefined, 'memberlist: Suspect ffd0ccba8522 has failed, no acks received', undefined, 'ffd0ccba8522'],
  ['01:44:26.334702975Z', 'node2', 'gossip-suspect', undefined, 'memberlist: Suspect c5006b5f915a has failed, no acks received', undefined, 'c5006b5f915a'],
  ['01:44:27.166738424Z', 'node1', 'gossip-suspect', undefined, 'memberlist: Suspect c5006b5f915a has failed, no acks received', undefined, 'c5006b5f915a'],
  ['01:44:27.334320047Z', 'node2', 'gossip-left', undefined, 'Node c5006b5f915a/10.213.0.13, left gossip cluster', undefined, 'c5006b5f915a'],
  ['01:44:27.334386040Z', 'node2', 'gossip-failed', undefined, 'Node c5006b5f915a change state NodeActive --> NodeFailed', undefined, 'c5006b5f915a'],
  ['01:44:27.335316663Z', 'node1', 'gossip-left', undefined, 'Node c5006b5f915a/10.213.0.13, left gossip cluster', undefined, 'c5006b5f915a'],
  ['01:44:27.335368681Z', 'node1', 'gossip-failed', undefined, 'Node c5006b5f915a change state NodeActive --> NodeFailed', undefined, 'c5006b5f915a'],
  ['01:44:27.388721983Z', 'node3', 'gossip-left', undefined, 'Node 5ae84201f1a9/10.213.0.12, left gossip cluster', undefined, '5ae84201f1a9'],
  ['01:44:27.388757690Z', 'node3', 'gossip-failed', undefined, 'Node 5ae84201f1a9 change state NodeActive --> NodeFailed', undefined, '5ae84201f1a9'],
  ['01:44:28.228708411Z', 'node3', 'heartbeat-failed', 'DeadlineExceeded', 'heartbeat to manager { 10.213.0.11:2377} failed', '6kqqdrhr35xpr6nlxe6cnm6rv'],
  ['01:44:28.228799602Z', 'node3', 'session-failed', 'DeadlineExceeded', 'agent: session failed', '6kqqdrhr35xpr6nlxe6cnm6rv'],
  ['01:44:28.229147864Z', 'node3', 'session-new-manager', undefined, 'manager selected by agent for new session: {rp1xpu01ga7esa0gylf9pwoqr 10.213.0.11:2377}', '6kqqdrhr35xpr6nlxe6cnm6rv'],
  ['01:44:28.229185895Z', 'node3', 'session-registering', undefined, 'waiting 71.075651ms before registering session', '6kqqdrhr35xpr6nlxe6cnm6rv'],
  ['01:44:28.388318847Z', 'node3', 'networkdb-unhealthy', undefined, 'NetworkDB stats node3(c5006b5f915a) - healthscore:2 (connectivity issues)'],
  ['01:44:28.389811132Z', 'node3', 'gossip-suspect', undefined, 'memberlist: Suspect 5ae84201f1a9 has failed, no acks received', undefined, '5ae84201f1a9'],
  ['01:44:29.020219311Z', 'node3', 'session-failed', 'Unavailable', 'agent: session failed', '6kqqdrhr35xpr6nlxe6cnm6rv'],
  ['01:44:29.020424475Z', 'node3', 'session-new-manager', undefined, 'manager selected by agent for new session: {rp1xpu01ga7esa0gylf9pwoqr 10.213.0.11:2377}', '6kqqdrhr35xpr6nlxe6cnm6rv'],
  ['01:44:29.020453740Z', 'node3', 'session-registering', undefined, 'waiting 235.682006ms before registering session', '6kqqdrhr35xpr6nlxe6cnm6rv'],
  ['01:44:29.020645409Z', 'node3', 'bulk-sync-failed', undefined, 'bulk sync to node ffd0ccba8522 failed: failed to send a TCP message during bulk sync: dial tcp 10.213.0.11:7946: connect: no route to host', undefined, 'ffd0ccba8522'],
  ['01:44:29.389991649Z', 'node3', 'gossip-left', undefined, 'Node ffd0ccba8522/10.213.0.11, left gossip cluster', undefined, 'ffd0ccba8522'],
  ['01:44:29.390029570Z', 'node3', 'gossip-failed', undefined, 'Node ffd0ccba8522 change state NodeActive --> NodeFailed', undefined, 'ffd0ccba8522'],
  ['01:44:32.092324226Z', 'node3', 'session-failed', 'Unavailable', 'agent: session failed', '6kqqdrhr35xpr6nlxe6cnm6rv'],
  ['01:44:32.092616804Z', 'node3', 'session-new-manager', undefined, 'manager selected by agent for new session: {rp1xpu01ga7esa0gylf9pwoqr 10.213.0.11:2377}', '6kqqdrhr35xpr6nlxe6cnm6rv'],
  ['01:44:32.092651409Z', 'node3', 'session-registering', undefined, 'waiting 402.460821ms before registering session', '6kqqdrhr35xpr6nlxe6cnm6rv'],
  ['01:44:32.390646302Z', 'node3', 'gossip-suspect', undefined, 'memberlist: Suspect ffd0ccba8522 has failed, no acks received', undefined, 'ffd0ccba8522'],
  ['01:44:35.164423991Z', 'node3', 'session-failed', 'Unavailable', 'agent: session failed', '6kqqdrhr35xpr6nlxe6cnm6rv'],
  ['01:44:35.164784527Z', 'node3', 'session-new-manager', undefined, 'manager selected by agent for new session: {rp1xpu01ga7esa0gylf9pwoqr 10.213.0.11:2377}', '6kqqdrhr35xpr6nlxe6cnm6rv'],
  ['01:44:35.164828609Z', 'node3', 'session-registering', undefined, 'waiting 1.417158987s before registering session', '6kqqdrhr35xpr6nlxe6cnm6rv'],
  ['01:44:38.243001287Z', 'node3', 'session-failed', 'Unavailable', 'agent: session failed', '6kqqdrhr35xpr6nlxe6cnm6rv'],
  ['01:44:38.243341895Z', 'node3', 'session-new-manager', undefined, 'manager selected by agent for new session: {rp1xpu01ga7esa0gylf9pwoqr 10.213.0.11:2377}', '6kqqdrhr35xpr6nlxe6cnm6rv'],
  ['01:44:38.243367032Z', 'node3', 'session-registering', undefined, 'waiting 1.518413657s before registering session', '6kqqdrhr35xpr6nlxe6cnm6rv'],
  ['01:44:41.308104300Z', 'node3', 'session-failed', 'Unavailable', 'agent: session failed', '6kqqdrhr35xpr6nlxe6cnm6rv'],
  ['01:44:41.308356682Z', 'node3', 'session-new-manager', undefined, 'manager selected by agent for new session: {rp1xpu01ga7esa0gylf9pwoqr 10.213.0.11:2377}', '6kqqdrhr35xpr6nlxe6cnm6rv'],
  ['01:44:41.308386268Z', 'node3', 'session-registering', undefined, 'waiting 2.38054216s before registering session', '6kqqdrhr35xpr6nlxe6cnm6rv'],
  ['01:44:44.380045107Z', 'node3', 'session-failed', 'Unavailable', 'agent: session failed', '6kqqdrhr35xpr6nlxe6cnm6rv'],
  ['01:44:44.380222690Z', 'node3', 'session-new-manager', undefined, 'manager selected by agent for new session: {rp1xpu01ga7esa0gylf9pwoqr 10.213.0.11:2377}', '6kqqdrhr35xpr6nlxe6cnm6rv'],
  ['01:44:44.380249380Z', 'node3', 'session-registering', undefined, 'waiting 4.221045023s before registering session', '6kqqdrhr35xpr6nlxe6cnm6rv'],
  ['01:44:50.525710473Z', 'node3', 'session-failed', 'Unavailable', 'agent: session failed', '6kqqdrhr35xpr6nlxe6cnm6rv'],
  ['01:44:50.525874400Z', 'node3', 'session-new-manager', undefined, 'manager selected by agent for new session: {rp1xpu01ga7esa0gylf9pwoqr 10.213.0.11:2377}', '6kqqdrhr35xpr6nlxe6cnm6rv'],
  ['01:44:50.525899707Z', 'node3', 'session-registering', undefined, 'waiting 3.690251137s before registering session', '6kqqdrhr35xpr6nlxe6cnm6rv'],
  ['01:44:54.217305461Z', 'node3', 'session-failed', 'Unavailable', 'agent: session failed', '6kqqdrhr35xpr6nlxe6cnm6rv'],
  ['01:44:54.217524441Z', 'node3', 'session-new-manager', undefined, 'manager selected by agent for new session: {rp1xpu01ga7esa0gylf9pwoqr 10.213.0.11:2377}', '6kqqdrhr35xpr6nlxe6cnm6rv'],
  ['01:44:54.217544840Z', 'node3', 'session-registering', undefined, 'waiting 993.640866ms before registering session', '6kqqdrhr35xpr6nlxe6cnm6rv'],
  ['01:44:56.672016318Z', 'node3', 'session-failed', 'Unavailable', 'agent: session failed', '6kqqdrhr35xpr6nlxe6cnm6rv'],
  ['01:44:56.672209109Z', 'node3', 'session-new-manager', undefined, 'manager selected by agent for new session: {rp1xpu01ga7esa0gylf9pwoqr 10.213.0.11:2377}', '6kqqdrhr35xpr6nlxe6cnm6rv'],
  ['01:44:56.672232232Z', 'node3', 'session-registering', undefined, 'waiting 5.188426727s before registering session', '6kqqdrhr35xpr6nlxe6cnm6rv'],
  ['01:44:57.501057068Z', 'node1', 'gossip-joined', undefined, 'Node c5006b5f915a/10.213.0.13, joined gossip cluster', undefined, 'c5006b5f915a'],
  ['01:44:57.501078388Z', 'node1', 'gossip-active', undefined, 'Node c5006b5f915a change state NodeFailed --> NodeActive', undefined, 'c5006b5f915a'],
  ['01:44:57.501627536Z', 'node3', 'gossip-joined', undefined, 'Node ffd0ccba8522/10.213.0.11, joined gossip cluster', undefined, 'ffd0ccba8522'],
  ['01:44:57.501648796Z', 'node3', 'gossip-active', undefined, 'Node ffd0ccba8522 change state NodeFailed --> NodeActive', undefined, 'ffd0ccba8522'],
  ['01:44:57.532477568Z', 'node2', 'gossip-joined', undefined, 'Node c5006b5f915a/10.213.0.13, joined gossip cluster', undefined, 'c5006b5f915a'],
  ['01:44:57.532504999Z', 'node2', 'gossip-active', undefined, 'Node c5006b5f915a change state NodeFailed --> NodeActive', undefined, 'c5006b5f915a'],
  ['01:44:57.533910421Z', 'node3', 'gossip-joined', undefined, 'Node 5ae84201f1a9/10.213.0.12, joined gossip cluster', undefined, '5ae84201f1a9'],
  ['01:44:57.533944756Z', 'node3', 'gossip-active', undefined, 'Node 5ae84201f1a9 change state NodeFailed --> NodeActive', undefined, '5ae84201f1a9'],
  ['01:45:01.929161528Z', 'node1', 'worker-registered', undefined, 'worker 6kqqdrhr35xpr6nlxe6cnm6rv was successfully registered', undefined, '6kqqdrhr35xpr6nlxe6cnm6rv'],
];

export const FIXTURE_A_DAY = '2026-11-22';
export const NODE3_ID = '6kqqdrhr35xpr6nlxe6cnm6rv';

/** 2026-11-22 plus a time of day like 01:44:28.228708411Z, in ms (sub-ms digits dropped). */
export function at(timeOfDay: string): number {
  return Date.parse(`${FIXTURE_A_DAY}T${timeOfDay.replace(/(\.\d{3})\d*/, '$1')}`);
}

/** The capture's signals in time order, as the rules are meant to produce them. */
export function fixtureASignals(): Signal[] {
  return ROWS.map(([time, node, kind, errorClass, message, nodeId, subject]) => ({
    node,
    time: at(time),
    rule: kind,
    kind,
    errorClass,
    message,
    nodeId,
    subject,
    subjectKind: subject === undefined ? undefined : kind === 'worker-registered' ? 'node-id' : 'gossip-id',
  }));
}
