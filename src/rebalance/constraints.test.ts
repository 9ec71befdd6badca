import { describe, it, expect } from 'vitest';
import type { NodeFacts } from './cluster.js';
import { nodeMatches, parseConstraint, platformMatches, spreadValue, type Constraint } from './constraints.js';

const node = (over: Partial<NodeFacts> = {}): NodeFacts => ({
  id: 'n1abc', hostname: 'node1', role: 'worker', availability: 'active', state: 'ready', addr: '10.77.0.11',
  os: 'linux', arch: 'x86_64', labels: { zone: 'eu-1a', Disk: 'ssd' }, engineLabels: { storage: 'ssd' },
  nanoCpus: 2e9, memoryBytes: 4e9, ...over,
});
const c = (...exprs: string[]): Constraint[] => exprs.map((e) => parseConstraint(e)!);

describe('parseConstraint', () => {
  it('splits on == or != and trims', () => {
    expect(parseConstraint(' node.labels.zone == eu-1a ')).toEqual({ key: 'node.labels.zone', op: '==', value: 'eu-1a' });
    expect(parseConstraint('node.role!=manager')).toEqual({ key: 'node.role', op: '!=', value: 'manager' });
  });
  it('rejects what swarmkit rejects', () => {
    expect(parseConstraint('node.labels.zone')).toBeNull();
    expect(parseConstraint('node.labels.zone==')).toBeNull();
    expect(parseConstraint('1node==x')).toBeNull();
    expect(parseConstraint('node.labels.zone==a>b')).toBeNull();
  });
});

describe('nodeMatches', () => {
  it('compares values case-insensitively and label names case-sensitively', () => {
    expect(nodeMatches(c('node.labels.zone==EU-1A'), node())).toBe(true);
    expect(nodeMatches(c('NODE.LABELS.zone==eu-1a'), node())).toBe(true);
    expect(nodeMatches(c('node.labels.disk==ssd'), node())).toBe(false);
    expect(nodeMatches(c('node.labels.Disk==ssd'), node())).toBe(true);
  });
  it('lets != match a missing label and == fail on it', () => {
    expect(nodeMatches(c('node.labels.gpu!=yes'), node())).toBe(true);
    expect(nodeMatches(c('node.labels.gpu==yes'), node())).toBe(false);
    expect(nodeMatches(c('engine.labels.gpu!=yes'), node({ engineLabels: {} }))).toBe(true);
  });
  it('reads id, hostname, role, platform and engine labels', () => {
    expect(nodeMatches(c('node.id==n1abc', 'node.hostname==NODE1', 'node.role==worker'), node())).toBe(true);
    expect(nodeMatches(c('node.role==manager'), node())).toBe(false);
    expect(nodeMatches(c('node.platform.os==linux', 'node.platform.arch==x86_64'), node())).toBe(true);
    expect(nodeMatches(c('node.platform.arch==amd64'), node())).toBe(false);
    expect(nodeMatches(c('engine.labels.storage==SSD'), node())).toBe(true);
    expect(nodeMatches(c('node.hostname!=node1'), node())).toBe(false);
  });
  it('matches node.ip against an address or a subnet, and rejects a malformed one', () => {
    expect(nodeMatches(c('node.ip==10.77.0.11'), node())).toBe(true);
    expect(nodeMatches(c('node.ip!=10.77.0.11'), node())).toBe(false);
    expect(nodeMatches(c('node.ip==10.77.0.0/24'), node())).toBe(true);
    expect(nodeMatches(c('node.ip!=10.77.1.0/24'), node())).toBe(true);
    expect(nodeMatches(c('node.ip==10.77.0.0/99'), node())).toBe(false);
    expect(nodeMatches(c('node.ip!=10.77.0.0/99'), node())).toBe(false);
  });
  it('matches no node on an unknown key, and every node with no constraints', () => {
    expect(nodeMatches(c('node.colour==blue'), node())).toBe(false);
    expect(nodeMatches(c('node.colour!=blue'), node())).toBe(false);
    expect(nodeMatches([], node())).toBe(true);
  });
});

describe('platformMatches', () => {
  it('allows any node without platforms and treats x86_64 as amd64', () => {
    expect(platformMatches([], node())).toBe(true);
    expect(platformMatches([{ os: 'linux', arch: 'amd64' }], node())).toBe(true);
    expect(platformMatches([{ os: 'linux', arch: 'arm64' }], node())).toBe(false);
    expect(platformMatches([{ os: 'linux', arch: 'arm64' }], node({ arch: 'aarch64' }))).toBe(true);
    expect(platformMatches([{ os: '', arch: '' }], node({ os: 'windows' }))).toBe(true);
  });
});

describe('spreadValue', () => {
  it('reads node and engine labels, "" when missing, null for other descriptors', () => {
    expect(spreadValue('node.labels.zone', node())).toBe('eu-1a');
    expect(spreadValue('Node.Labels.zone', node())).toBe('eu-1a');
    expect(spreadValue('node.labels.rack', node())).toBe('');
    expect(spreadValue('engine.labels.storage', node())).toBe('ssd');
    expect(spreadValue('node.hostname', node())).toBeNull();
  });
});
