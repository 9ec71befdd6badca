// Checks on single values that the schema alone cannot express; shared by the schema (so `config
// check`, the agent's start and every reload refuse the same things) and by whoever uses the value.
import cron from 'node-cron';

export function cronProblem(expr: string): string | undefined {
  return cron.validate(expr) ? undefined : `"${expr}" is not a cron expression (write it like "0 8 * * *": minute hour day-of-month month day-of-week)`;
}

export function timezoneProblem(zone: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return undefined;
  } catch {
    return `"${zone}" is not a time zone (write it like UTC or Europe/Berlin)`;
  }
}

export function regexProblem(source: string): string | undefined {
  try {
    new RegExp(source);
    return undefined;
  } catch (err) {
    return `"${source}" is not a regular expression: ${(err as Error).message.replace(/^Invalid regular expression: /, '')} (fix it, or remove the key for the default)`;
  }
}

/** An http(s) URL that fetch can use: checked at load so a broken one never reaches a request. */
export function webhookUrlProblem(url: string): string | undefined {
  if (!URL.canParse(url)) return 'the file does not hold a valid URL (put the webhook URL in it, nothing else)';
  const { protocol } = new URL(url);
  return protocol === 'https:' || protocol === 'http:' ? undefined : 'the file does not hold an http(s) URL (put the webhook URL in it)';
}
