// Line shapes that make naive logrus parsers quadratic, by length: shared by the unit test (does it
// finish) and the benchmark (is the cost per byte flat).
export const ADVERSARIAL_LINES: Record<string, (n: number) => string> = {
  quotes: (n) => 'level=info msg="' + '"'.repeat(n),
  escapedQuotes: (n) => 'level=info msg="' + '\\"'.repeat(n / 2),
  backslashes: (n) => 'level=info msg="' + '\\'.repeat(n),
  equals: (n) => '='.repeat(n),
  keyValues: (n) => 'level=info ' + 'a=b '.repeat(n / 4),
  unclosedKeys: (n) => 'level=info ' + 'a'.repeat(n),
  jsonNesting: (n) => '{"msg":' + '['.repeat(n),
  terminalGaps: (n) => 'INFO[2026-11-22T01:44:28Z] ' + 'x'.repeat(50) + '  a=b c'.repeat(n / 7),
  spaces: (n) => ' '.repeat(n) + 'x',
};
