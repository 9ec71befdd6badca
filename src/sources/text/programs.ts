// Which program wrote a line, from its syslog identifier or unit: the Docker daemon, systemd (about
// the Docker unit), the kernel, or something else. Pure.
import type { LineItem } from '../line-item.js';

export type Program = 'docker' | 'systemd' | 'kernel' | 'other';

// dockerd, docker (Debian's unit), dockerd-<node> (the lab), docker.service (-o with-unit), snap's daemon
const DOCKER = /^(?:dockerd?(?:-.+)?|dockerd?\.service|snap\.docker\.dockerd(?:\.service)?)$/;
const SYSTEMD = /^(?:systemd|init\.scope|init)$/;
/** systemd's words about the Docker unit (systemd 252 also writes "docker.service - Docker Application …"). */
const ABOUT_DOCKER = /^(?:dockerd?\.service: |(?:Starting|Started|Stopping|Stopped) (?:dockerd?\.service - )?Docker Application Container Engine)/;

/** No identifier at all (a `-o cat` line, dockerd's own log file) reads as the daemon's. */
export function classifyProgram(ident: string | undefined, unit?: string): Program {
  if (ident === undefined) return 'docker';
  if (DOCKER.test(ident)) return 'docker';
  if (SYSTEMD.test(ident)) return 'systemd';
  if (ident === 'kernel') return 'kernel';
  if (unit && DOCKER.test(unit)) return 'docker';
  return 'other';
}

export function isAboutDocker(message: string): boolean {
  return ABOUT_DOCKER.test(message);
}

/** systemd's line about the Docker unit as an entry the rules read (fields.UNIT marks it as systemd's). */
export function unitItem(message: string, node: string, time: number, unit: string | undefined, bootId?: string): LineItem | undefined {
  if (unit !== undefined && !DOCKER.test(unit) && unit !== 'init.scope') return undefined;
  if (!isAboutDocker(message)) return undefined;
  return { kind: 'unit', entry: { node, time, level: 'info', msg: message, fields: { UNIT: 'docker.service' }, ...(bootId ? { bootId } : {}) } };
}
