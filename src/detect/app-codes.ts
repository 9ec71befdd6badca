// Application log codes ([SERVICE]-[FEATURE]-NNN, or the seed's msg names like api-sync-fail-customer-info)
// from one container log line. Pure.

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

const TOKEN = /^[A-Za-z0-9]+(?:[-_.:][A-Za-z0-9]+)*$/;
const NAMED = /^[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)+$/; // a msg that is a name, not a sentence
const MAX_CODE = 80;

function globToRegex(glob: string): RegExp {
  const body = glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${body}$`, 'i');
}

export function codeMatcher(opts: CodeOptions): CodeMatcher {
  const pattern = new RegExp(opts.codePattern);
  const reconnect = opts.reconnectCodes.map(globToRegex);
  const fromValue = (field: string, value: unknown): string | undefined => {
    if (typeof value !== 'string' || !value || value.length > MAX_CODE * 4) return undefined;
    const inText = pattern.exec(value)?.[0];
    if (inText) return inText;
    if (value.length > MAX_CODE) return undefined;
    // A dedicated code field may hold any single token; a msg field only a hyphenated name.
    return (field === 'msg' || field === 'message' ? NAMED : TOKEN).test(value) ? value : undefined;
  };
  return {
    codeOf(line) {
      const text = line.trim();
      if (text.startsWith('{')) {
        try {
          const obj = JSON.parse(text) as Record<string, unknown>;
          for (const field of opts.codeFields) {
            const code = fromValue(field, obj[field]);
            if (code) return code;
          }
          return undefined;
        } catch {
          // not JSON: look for a code in the text
        }
      }
      return pattern.exec(text)?.[0];
    },
    isReconnect: (code) => reconnect.some((re) => re.test(code)),
  };
}
