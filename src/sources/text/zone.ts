// --tz: the zone of log times written without one (journalctl short, RFC 3164). UTC, an offset
// (+01:00, -0500) or an IANA name (Europe/Berlin, through Intl: daylight saving included).
import { offsetMinutes, type WallTime } from './prefix.js';

export interface Zone {
  name: string;
  /** The UTC time of a wall time in this zone. */
  toUtc(wall: WallTime, year: number): number;
}

function wallMs(w: WallTime, year: number): number {
  return Date.UTC(w.year ?? year, w.month - 1, w.day, w.h, w.m, w.s) + w.frac;
}

/** The zone for a --tz value, or undefined when it is none. */
export function zoneFor(tz: string): Zone | undefined {
  const fixed = offsetMinutes(tz);
  if (fixed !== undefined) return { name: tz, toUtc: (w, y) => wallMs(w, y) - fixed * 60_000 };
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' });
  } catch {
    return undefined;
  }
  const offsetAt = (utcMs: number): number => {
    const name = format.formatToParts(utcMs).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    return offsetMinutes(name === 'GMT' ? 'Z' : name.slice(3)) ?? 0;
  };
  return {
    name: tz,
    toUtc(w, y) {
      const local = wallMs(w, y);
      const guess = local - offsetAt(local) * 60_000;
      return local - offsetAt(guess) * 60_000; // a second look settles times near a change
    },
  };
}

export const UTC_ZONE: Zone = zoneFor('UTC')!;
