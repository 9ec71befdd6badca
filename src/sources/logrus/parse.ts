// Parses one Docker daemon log line in any of logrus's three shapes: text key=value (the
// daemon's default when stderr is not a terminal: journald, files), JSON (--log-format json), and
// the terminal form `INFO[2026-…] msg   key=value`. Never throws; anything else comes back raw.
import { scanKeyValues } from './kv-scan.js';
import { fromFields, rawLine, type ParsedLine } from './parsed-line.js';
import { parseJsonLine } from './json-form.js';
import { parseTerminalLine } from './terminal-form.js';

export function parseLogrusLine(line: string): ParsedLine {
  try {
    let end = line.length;
    while (end > 0 && (line.charCodeAt(end - 1) === 10 || line.charCodeAt(end - 1) === 13)) end--;
    let start = 0;
    while (start < end && line.charCodeAt(start) === 32) start++;
    const first = line.charCodeAt(start);
    let parsed: ParsedLine | undefined;
    if (first === 123 /* { */) {
      parsed = parseJsonLine(line.slice(start, end));
    } else if (first === 27 /* ESC: colours */ || (first >= 65 && first <= 90 && line.charCodeAt(start + 4) === 91)) {
      parsed = parseTerminalLine(line.slice(start, end));
    }
    if (parsed === undefined && first !== 123) {
      const all: Record<string, string> = {};
      if (scanKeyValues(line, start, end, all)) parsed = fromFields(all);
    }
    return parsed ?? rawLine(line);
  } catch {
    return rawLine(line); // a bug here must not stop the pipeline
  }
}
