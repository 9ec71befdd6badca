// Runs a RuleSet over daemon entries: entry in, signals out. Pure apart from the small memory
// count/within rules need (the last `count` match times per node and rule, bounded in keys).
import { classifyError } from './error-class.js';
import type { CompiledRule, RuleSet } from './rules.js';
import type { DaemonEntry, Signal } from './types.js';

export interface RuleEngineOptions {
  /** Node+rule pairs remembered for count/within rules; the least recently matched is dropped past this. */
  maxWindows?: number;
}

function fieldsMatch(rule: CompiledRule, fields: Record<string, string>): boolean {
  for (const test of rule.fields) {
    const value = Object.hasOwn(fields, test.name) ? fields[test.name] : undefined;
    if (value === undefined) return false;
    if (test.exact !== undefined ? value !== test.exact : !test.regex!.test(value)) return false;
  }
  return true;
}

const NONE: readonly CompiledRule[] = [];

export class RuleEngine {
  private readonly order = new Map<string, number>(); // rule id → place in the rules file
  /** Rules whose message starts with fixed text, by its first character: a line meets only its own. */
  private readonly byFirstChar = new Map<number, CompiledRule[]>();
  private readonly unanchored: CompiledRule[] = [];
  private readonly windows = new Map<string, number[]>();
  private readonly maxWindows: number;

  constructor(rules: RuleSet, options: RuleEngineOptions = {}) {
    rules.rules.forEach((rule, index) => {
      this.order.set(rule.id, index);
      if (!rule.prefix) this.unanchored.push(rule);
      else {
        const first = rule.prefix.charCodeAt(0);
        this.byFirstChar.set(first, [...(this.byFirstChar.get(first) ?? []), rule]);
      }
    });
    this.maxWindows = options.maxWindows ?? 10_000;
  }

  apply(entry: DaemonEntry): Signal[] {
    let out: Signal[] | undefined;
    const msg = entry.msg;
    for (const rule of this.byFirstChar.get(msg.charCodeAt(0)) ?? NONE) {
      if (!msg.startsWith(rule.prefix)) continue;
      const s = this.match(rule, entry);
      if (s) (out ??= []).push(s);
    }
    for (const rule of this.unanchored) {
      if (rule.literal && !msg.includes(rule.literal)) continue; // the cheap test first: most lines stop here
      const s = this.match(rule, entry);
      if (s) (out ??= []).push(s);
    }
    if (out && out.length > 1) out.sort((a, b) => this.order.get(a.rule)! - this.order.get(b.rule)!); // rules-file order
    return out ?? [];
  }

  private match(rule: CompiledRule, entry: DaemonEntry): Signal | undefined {
    if (rule.levels && !rule.levels.has(entry.level)) return undefined;
    let groups: Record<string, string | undefined> | undefined;
    if (rule.msg) {
      const m = rule.msg.exec(entry.msg);
      if (!m) return undefined;
      groups = m.groups;
    }
    if (rule.fields.length && !fieldsMatch(rule, entry.fields)) return undefined;
    if (rule.count > 1 && !this.countReached(rule, entry)) return undefined;
    return this.signal(rule, entry, groups);
  }

  /** Records this match; true when the rule has now matched `count` times within its window on this node. */
  private countReached(rule: CompiledRule, entry: DaemonEntry): boolean {
    const key = `${entry.node}\u0000${rule.id}`;
    let times = this.windows.get(key);
    if (times) this.windows.delete(key); // re-inserted below: the Map's order is least recently matched first
    else times = [];
    times.push(entry.time);
    if (times.length > rule.count) times.shift();
    this.windows.set(key, times);
    if (this.windows.size > this.maxWindows) this.windows.delete(this.windows.keys().next().value!);
    return times.length >= rule.count && entry.time - Math.min(...times) <= rule.within;
  }

  private signal(rule: CompiledRule, entry: DaemonEntry, groups: Record<string, string | undefined> | undefined): Signal {
    const s: Signal = { node: entry.node, time: entry.time, rule: rule.id, kind: rule.kind, message: entry.msg };
    const nodeId = entry.fields['node.id'];
    if (nodeId && Object.hasOwn(entry.fields, 'node.id')) s.nodeId = nodeId;
    if (rule.errorField) {
      const text = Object.hasOwn(entry.fields, rule.errorField) ? entry.fields[rule.errorField] : undefined;
      const errorClass = classifyError(text);
      if (errorClass) {
        s.errorClass = errorClass;
        (s.detail ??= {})[rule.errorField] = text!;
      }
    }
    if (rule.subjectGroup && groups?.[rule.subjectGroup]) {
      s.subject = groups[rule.subjectGroup];
      s.subjectKind = rule.subjectKind;
    }
    for (const g of rule.detailGroups) {
      const v = groups?.[g];
      if (v !== undefined) (s.detail ??= {})[g] = v;
    }
    for (const f of rule.detailFields) {
      if (Object.hasOwn(entry.fields, f)) (s.detail ??= {})[f] = entry.fields[f];
    }
    if (rule.clears) s.clears = [...rule.clears];
    return s;
  }
}
