// Placement constraints and platforms, matched the way swarmkit does (manager/constraint/constraint.go,
// manager/scheduler/filter.go PlatformFilter): keys and values compare case-insensitively, label
// names case-sensitively, and a missing field or label reads as "" (so `!=` matches it).
import { BlockList, isIP } from 'node:net';
import type { NodeFacts } from './cluster.js';

export interface Constraint {
  key: string;
  op: '==' | '!=';
  value: string;
}

const KEY = /^[a-z_][a-z0-9\-_.]+$/i;
const VALUE = /^[a-z0-9:\-_\s.*()?+[\]\\^$|/]+$/i;
const NODE_LABELS = 'node.labels.';
const ENGINE_LABELS = 'engine.labels.';

/** Parses "key==value" / "key!=value" as swarmkit does; null when swarmkit would reject it. */
export function parseConstraint(expr: string): Constraint | null {
  for (const op of ['==', '!='] as const) {
    const at = expr.indexOf(op);
    if (at < 0) continue;
    const key = expr.slice(0, at).trim();
    const value = expr.slice(at + op.length).trim();
    if (!KEY.test(key) || !VALUE.test(value)) return null;
    return { key, op, value };
  }
  return null;
}

// Go's strings.EqualFold; toLowerCase is close enough for label values.
const sameFold = (a: string, b: string) => a === b || a.toLowerCase() === b.toLowerCase();

function matches(c: Constraint, what: string): boolean {
  return sameFold(c.value, what) === (c.op === '==');
}

function hasPrefix(key: string, prefix: string): boolean {
  return key.length > prefix.length && key.slice(0, prefix.length).toLowerCase() === prefix;
}

function ipMatches(c: Constraint, addr: string): boolean {
  const family = (ip: string) => (isIP(ip) === 6 ? 'ipv6' : 'ipv4');
  let inside: boolean;
  if (isIP(c.value)) {
    inside = sameAddress(c.value, addr);
  } else {
    const [net, bits] = c.value.split('/');
    const prefix = Number(bits);
    if (!isIP(net ?? '') || !Number.isInteger(prefix)) return false; // swarmkit rejects a malformed address
    const block = new BlockList();
    try {
      block.addSubnet(net!, prefix, family(net!));
    } catch {
      return false;
    }
    inside = isIP(addr) !== 0 && block.check(addr, family(addr));
  }
  return inside === (c.op === '==');
}

function sameAddress(a: string, b: string): boolean {
  if (isIP(a) !== isIP(b)) return false;
  const block = new BlockList();
  block.addAddress(a, isIP(a) === 6 ? 'ipv6' : 'ipv4');
  return block.check(b, isIP(b) === 6 ? 'ipv6' : 'ipv4');
}

/** True when the node satisfies every constraint (an unknown key matches no node, as in swarmkit). */
export function nodeMatches(constraints: Constraint[], node: NodeFacts): boolean {
  for (const c of constraints) {
    const key = c.key.toLowerCase();
    let ok: boolean;
    if (key === 'node.id') ok = matches(c, node.id);
    else if (key === 'node.hostname') ok = matches(c, node.hostname);
    else if (key === 'node.ip') ok = ipMatches(c, node.addr);
    else if (key === 'node.role') ok = matches(c, node.role);
    else if (key === 'node.platform.os') ok = matches(c, node.os);
    else if (key === 'node.platform.arch') ok = matches(c, node.arch);
    else if (hasPrefix(key, NODE_LABELS)) ok = matches(c, node.labels[c.key.slice(NODE_LABELS.length)] ?? '');
    else if (hasPrefix(key, ENGINE_LABELS)) ok = matches(c, node.engineLabels[c.key.slice(ENGINE_LABELS.length)] ?? '');
    else ok = false;
    if (!ok) return false;
  }
  return true;
}

const ARCH_ALIASES: Record<string, string> = { x86_64: 'amd64', aarch64: 'arm64' };
const arch = (a: string) => ARCH_ALIASES[a] ?? a;

/** Placement.Platforms: empty allows any node; otherwise one entry must fit (empty fields are wildcards). */
export function platformMatches(platforms: { os: string; arch: string }[], node: NodeFacts): boolean {
  if (platforms.length === 0) return true;
  return platforms.some(
    (p) => (p.arch === '' || arch(p.arch) === arch(node.arch)) && (p.os === '' || p.os === node.os),
  );
}

/** The value a spread descriptor reads on a node; null when swarmkit ignores the descriptor. */
export function spreadValue(descriptor: string, node: NodeFacts): string | null {
  if (hasPrefix(descriptor, NODE_LABELS)) return node.labels[descriptor.slice(NODE_LABELS.length)] ?? '';
  if (hasPrefix(descriptor, ENGINE_LABELS)) return node.engineLabels[descriptor.slice(ENGINE_LABELS.length)] ?? '';
  return null;
}
