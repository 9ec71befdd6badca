// Rules are data (config/rules.yml): which daemon lines mean what. This file validates a parsed
// rules document and compiles it into a RuleSet the engine runs. Pure: no file reading here.
import { z } from 'zod';
import { parseDuration } from '../config/duration.js';
import { ConfigError } from '../errors.js';
import { regexText } from './regex-literal.js';
import { SIGNAL_KINDS, SUBJECT_KINDS } from './signal-kinds.js';
import type { DaemonLevel, SignalKind, SubjectKind } from './types.js';

const LEVELS = ['debug', 'info', 'warning', 'error', 'fatal', 'panic', 'unknown'] as const;

const fieldMatch = z.union([z.string(), z.strictObject({ regex: z.string().min(1) })]);

const ruleSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'an id is lower-case words joined by dashes, e.g. heartbeat-failed'),
  signal: z.enum(SIGNAL_KINDS),
  match: z
    .strictObject({
      /** A regular expression on the log message; named groups become the subject and details. */
      msg: z.string().min(1).optional(),
      /** Text every matching message contains, tested before the regex; derived from msg when absent. */
      contains: z.string().min(1).optional(),
      /** logrus fields: a string is an exact value, {regex} a pattern. */
      fields: z.record(z.string().min(1), fieldMatch).optional(),
    })
    .refine((m) => m.msg !== undefined || m.fields !== undefined || m.contains !== undefined, {
      message: 'a rule matches on msg, contains or fields (give at least one)',
    }),
  level: z.array(z.enum(LEVELS)).min(1).optional(),
  /** The field whose text is classified (DeadlineExceeded, Unavailable, …), usually "error". */
  errorClass: z.string().min(1).optional(),
  subject: z.strictObject({ group: z.string().min(1).default('subject'), kind: z.enum(SUBJECT_KINDS).default('other') }).optional(),
  /** logrus fields copied into the signal's detail (e.g. backoff). */
  detailFields: z.array(z.string().min(1)).optional(),
  count: z.number().int().min(1).optional(),
  within: z.string().optional(),
  clears: z.array(z.enum(SIGNAL_KINDS)).optional(),
});

const docSchema = z.strictObject({
  version: z.literal(1),
  rules: z.array(ruleSchema).min(1),
});

export type RulesDoc = z.input<typeof docSchema>;

export interface FieldTest {
  name: string;
  exact?: string;
  regex?: RegExp;
}

export interface CompiledRule {
  id: string;
  kind: SignalKind;
  /** Tested with includes() before anything else; "" when the rule has no message text to test. */
  literal: string;
  /** Text every matching message starts with (msg anchored with ^), or "": lets the engine pick rules by first character. */
  prefix: string;
  msg?: RegExp;
  fields: FieldTest[];
  levels?: ReadonlySet<DaemonLevel>;
  errorField?: string;
  subjectGroup?: string;
  subjectKind?: SubjectKind;
  /** Named groups of msg other than the subject. */
  detailGroups: string[];
  detailFields: string[];
  /** Fires when matched this many times within `within` ms on one node (1: every match). */
  count: number;
  within: number;
  clears?: readonly SignalKind[];
}

export interface RuleSet {
  /** Where the rules came from, for messages. */
  source: string;
  rules: CompiledRule[];
}

/** The named groups of a regex, found by matching the empty alternative. */
function groupNames(re: RegExp): string[] {
  const probe = new RegExp(`(?:${re.source})|`).exec('');
  return probe?.groups ? Object.keys(probe.groups) : [];
}

function compileRegex(text: string, where: string, problems: string[]): RegExp | undefined {
  try {
    return new RegExp(text);
  } catch (err) {
    problems.push(`${where}: not a valid regular expression: ${(err as Error).message} (JavaScript syntax; named groups as (?<name>…))`);
    return undefined;
  }
}

function compileRule(rule: z.output<typeof ruleSchema>, where: string, problems: string[]): CompiledRule | undefined {
  const before = problems.length;
  const msg = rule.match.msg === undefined ? undefined : compileRegex(rule.match.msg, `${where}.match.msg`, problems);
  const fields: FieldTest[] = Object.entries(rule.match.fields ?? {}).map(([name, test]) =>
    typeof test === 'string' ? { name, exact: test } : { name, regex: compileRegex(test.regex, `${where}.match.fields.${name}.regex`, problems) },
  );
  const groups = msg ? groupNames(msg) : [];
  const subjectGroup = rule.subject?.group ?? (groups.includes('subject') ? 'subject' : undefined);
  if (rule.subject && !groups.includes(rule.subject.group)) {
    problems.push(`${where}.subject.group: match.msg has no named group (?<${rule.subject.group}>…) (add it to the regex or remove subject)`);
  }
  const text = rule.match.msg ? regexText(rule.match.msg) : { literal: '', prefix: '' };
  const literal = rule.match.contains ?? text.literal;
  let within = 0;
  if ((rule.count ?? 1) > 1 || rule.within !== undefined) {
    if (rule.within === undefined) problems.push(`${where}.within: count ${rule.count} needs a window (write within: 60s)`);
    else if (rule.count === undefined) problems.push(`${where}.count: within ${rule.within} needs a count (write count: 3)`);
    else {
      const ms = parseDuration(rule.within);
      if (ms === undefined || ms <= 0) problems.push(`${where}.within: "${rule.within}" is not a duration (write it like 500ms, 90s, 2m)`);
      else within = ms;
    }
  }
  if (problems.length > before) return undefined;
  return {
    id: rule.id,
    kind: rule.signal,
    literal,
    prefix: text.prefix,
    msg,
    fields,
    levels: rule.level ? new Set(rule.level) : undefined,
    errorField: rule.errorClass,
    subjectGroup,
    subjectKind: subjectGroup ? (rule.subject?.kind ?? 'other') : undefined,
    detailGroups: groups.filter((g) => g !== subjectGroup),
    detailFields: rule.detailFields ?? [],
    count: rule.count ?? 1,
    within,
    clears: rule.clears ? Object.freeze([...rule.clears]) : undefined,
  };
}

function issuePath(doc: unknown, path: PropertyKey[]): string {
  let text = '';
  let node: unknown = doc;
  for (const key of path) {
    text += typeof key === 'number' ? `[${key}]` : `${text ? '.' : ''}${String(key)}`;
    node = node && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined;
    if (typeof key === 'number' && text === `rules[${key}]` && node && typeof node === 'object' && typeof (node as { id?: unknown }).id === 'string') {
      text += ` (${(node as { id: string }).id})`;
    }
  }
  return text || '(top level)';
}

/** Validates a parsed rules document and compiles it. Throws ConfigError listing every problem. */
export function compileRules(doc: unknown, source = 'rules.yml'): RuleSet {
  const parsed = docSchema.safeParse(doc);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${source}: ${issuePath(doc, i.path)}: ${i.message}`));
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  const rules: CompiledRule[] = [];
  parsed.data.rules.forEach((rule, index) => {
    const where = `${source}: rules[${index}] (${rule.id})`;
    if (seen.has(rule.id)) problems.push(`${where}.id: "${rule.id}" is used by another rule (ids are unique)`);
    seen.add(rule.id);
    const compiled = compileRule(rule, where, problems);
    if (compiled) rules.push(compiled);
  });
  if (problems.length) throw new ConfigError(problems);
  return { source, rules };
}
