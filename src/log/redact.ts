// Secrets never reach a log line: known secret values, and anything shaped like a webhook URL or token.
const SHAPES = [
  /https:\/\/hooks\.slack\.com\/[^\s"\\]+/g,
  /\b(Bearer\s+)[^\s"\\]+/gi,
  /(token=)[^\s"&\\]+/gi,
];

export class Redactor {
  private secrets: string[] = [];

  /** Replace the set of known secret values (on start and on every config reload). */
  setSecrets(values: Array<string | undefined>): void {
    this.secrets = values.filter((v): v is string => !!v && v.length >= 4).sort((a, b) => b.length - a.length);
  }

  redact(line: string): string {
    let out = line;
    for (const secret of this.secrets) {
      if (out.includes(secret)) out = out.split(secret).join('[REDACTED]');
      const escaped = JSON.stringify(secret).slice(1, -1); // as the secret appears inside a JSON string
      if (escaped !== secret && out.includes(escaped)) out = out.split(escaped).join('[REDACTED]');
    }
    for (const shape of SHAPES) {
      out = out.replace(shape, (_m, prefix?: string) => (typeof prefix === 'string' && prefix.length < 10 ? `${prefix}[REDACTED]` : '[REDACTED]'));
    }
    return out;
  }
}
