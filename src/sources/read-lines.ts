// The lines of an input file, for the one-shot commands: a directory or a missing file is a usage
// error, a line too long to be a log line is a data error, both naming the file (and line), never
// a stack trace. Reading is streamed: a 700 MB file costs one chunk of memory, not 700 MB.
import { createReadStream, statSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { DataError, UsageError } from '../errors.js';

/** Longer than any daemon or journal line we read (journalctl --all prints fields up to its own limits). */
export const MAX_LINE = 16 * 1024 * 1024;

export interface Line {
  text: string;
  /** 1-based line number in the file. */
  no: number;
}

/** Opens a file the operator named in `option` (e.g. "--input"), or says why it cannot be read. */
export function checkReadable(option: string, file: string): void {
  let isDir: boolean;
  try {
    isDir = statSync(file).isDirectory();
  } catch (err) {
    throw new UsageError(`${option} ${file}: cannot read the file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message} (give the path of a log file)`);
  }
  if (isDir) throw new UsageError(`${option} ${file}: is a directory (give the path of a log file inside it)`);
}

export async function* readLines(option: string, file: string, maxLine = MAX_LINE): AsyncGenerator<Line> {
  checkReadable(option, file);
  const decoder = new StringDecoder('utf8');
  // The start of a line not ended yet, in pieces: a chunk is searched once, never the joined text.
  let pieces: string[] = [];
  let pending = 0;
  let no = 0;
  const stream = createReadStream(file);
  try {
    for await (const chunk of stream) {
      const text = decoder.write(chunk as Buffer);
      let start = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
        no++;
        if (pending + nl - start > maxLine) throw tooLong(option, file, no, maxLine);
        let line = pieces.length ? pieces.join('') + text.slice(start, nl) : text.slice(start, nl);
        if (line.endsWith('\r')) line = line.slice(0, -1);
        pieces = [];
        pending = 0;
        yield { text: line, no };
        start = nl + 1;
      }
      if (start < text.length) {
        pieces.push(text.slice(start));
        pending += text.length - start;
        if (pending > maxLine) throw tooLong(option, file, no + 1, maxLine);
      }
    }
  } catch (err) {
    if (err instanceof DataError) throw err;
    throw new UsageError(`${option} ${file}: cannot read the file: ${(err as Error).message}`);
  } finally {
    stream.destroy();
  }
  const last = pieces.join('') + decoder.end();
  if (last) yield { text: last, no: no + 1 };
}

function tooLong(option: string, file: string, no: number, max: number): DataError {
  const size = max >= 1 << 20 ? `${Math.round(max / (1 << 20))} MiB` : `${Math.round(max / 1024)} KiB`;
  return new DataError(`${option} ${file} line ${no}: longer than ${size}, not a log line (is this the right file?)`);
}
