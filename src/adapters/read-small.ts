// Reads a file the operator wrote (config, rules, secret) with a size cap: a wrong path to a huge file
// must be refused at once, not parsed for seconds and printed back.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export const MAX_CONFIG_BYTES = 1024 * 1024;

export class TooBigError extends Error {
  constructor(readonly size: string, readonly limit: string) {
    super(`the file is ${size}, over the ${limit} limit`);
  }
}

const human = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} bytes`);

/** The file's text; TooBigError past `max` bytes (also for a pipe or device that never ends); fs errors as thrown. */
export function readSmallFile(path: string, max = MAX_CONFIG_BYTES): string {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size > max) throw new TooBigError(human(size), human(max));
    const buf = Buffer.alloc(max + 1);
    let got = 0;
    for (let n = 1; n > 0 && got <= max; got += n) n = readSync(fd, buf, got, buf.length - got, null);
    if (got > max) throw new TooBigError(`over ${human(max)}`, human(max));
    return buf.subarray(0, got).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
