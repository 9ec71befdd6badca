// RFC 3339 timestamps as logrus writes them (time.RFC3339Nano, UTC "Z" or a local offset).
// Hand-parsed because Date.parse drops everything below the millisecond and is slower.

const ZERO = 48;

function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const d = s.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** "2026-11-22T01:44:28.228708411Z" → ms since the epoch with the sub-millisecond part as a fraction. */
export function parseIsoTime(s: string): number | undefined {
  if (s.length < 19 || s.length > 40) return fallback(s);
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const min = digits(s, 14, 2);
  const sec = digits(s, 17, 2);
  const t = s.charCodeAt(10);
  if (
    year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 ||
    min < 0 || min > 59 || sec < 0 || sec > 60 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 ||
    (t !== 84 && t !== 116 && t !== 32) || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58
  ) {
    return fallback(s);
  }
  let i = 19;
  let frac = 0;
  if (s.charCodeAt(i) === 46) {
    // fraction of a second, any number of digits
    let scale = 1000;
    i++;
    const start = i;
    while (i < s.length) {
      const d = s.charCodeAt(i) - ZERO;
      if (d < 0 || d > 9) break;
      scale /= 10;
      frac += d * scale;
      i++;
    }
    if (i === start) return undefined;
  }
  let offsetMin = 0;
  const z = s.charCodeAt(i);
  if (i === s.length) {
    // no zone designator: read as UTC, never as the watchdog's own local time
  } else if (z === 90 || z === 122) {
    i++;
  } else if (z === 43 || z === 45) {
    const oh = digits(s, i + 1, 2);
    const om = digits(s, i + 4, 2);
    if (oh < 0 || om < 0 || s.charCodeAt(i + 3) !== 58) return undefined;
    offsetMin = (z === 43 ? 1 : -1) * (oh * 60 + om);
    i += 6;
  } else {
    return undefined;
  }
  if (i !== s.length) return undefined;
  return Date.UTC(year, month - 1, day, hour, min, sec) - offsetMin * 60_000 + frac;
}

// Other shapes Date.parse knows (RFC 1123 …); none without a zone, which Date.parse reads as local.
function fallback(s: string): number | undefined {
  if (s.length > 64 || !/(?:Z|GMT|UTC|[+-]\d\d:?\d\d)$/.test(s)) return undefined;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? undefined : ms;
}
