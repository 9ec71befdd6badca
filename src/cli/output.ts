import { stringify } from 'yaml';

/** A command's data as JSON on stdout (commands print it when asked with --json, else human text). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printYaml(value: unknown): void {
  process.stdout.write(stringify(value));
}

export function print(text = ''): void {
  process.stdout.write(`${text}\n`);
}

export const isTty = (): boolean => Boolean(process.stdout.isTTY);

/** `watchdog … | head -1`: the reader has gone, so there is nobody left to tell; exit quietly. */
export function exitQuietlyOnClosedPipe(stream: NodeJS.WriteStream = process.stdout): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  });
}
