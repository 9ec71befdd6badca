// Application log codes from one container log line: what matches appLogs.codePattern, in the
// configured JSON fields or in the text ([SERVICE]-[FEATURE]-NNN, and msg names like
// api-sync-fail-customer-info with the default pattern). Pure.

export interface CodeOptions {
  codeFields: string[];
  codePattern: string;
  reconnectCodes: string[];
}

export interface CodeMatcher {
  /** The log code a line carries, if any. */
  codeOf(line: string): string | undefined;
  isReconnect(code: string): boolean;
}

const MAX_CODE = 80;

function globToRegex(glob: string): RegExp {
  const body = glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${body}$`, 'i');
}

export function codeMatcher(opts: CodeOptions): CodeMatcher {
  const pattern = new RegExp(opts.codePattern);
  const reconnect = opts.reconnectCodes.map(globToRegex);
  // Only what matches the pattern is a code: a msg that is a UUID or a request id is not, and would
  // otherwise become a metric series and a summary row of its own.
  const codeIn = (value: unknown, maxLength = MAX_CODE * 4): string | undefined => {
    if (typeof value !== 'string' || !value || value.length > maxLength) return undefined;
    const code = pattern.exec(value)?.[0];
    return code && code.length <= MAX_CODE ? code : undefined;
  };
  return {
    codeOf(line) {
      const text = line.trim();
      if (text.startsWith('{')) {
        try {
          const obj = JSON.parse(text) as Record<string, unknown>;
          for (const field of opts.codeFields) {
            const code = codeIn(obj[field]);
            if (code) return code;
          }
          return undefined;
        } catch {
          // not JSON: look for a code in the text
        }
      }
      return codeIn(text.slice(0, 64 * 1024), Infinity);
    },
    isReconnect: (code) => reconnect.some((re) => re.test(code)),
  };
}
