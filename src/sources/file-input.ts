// `--input [NODE=]FILE`: a file (gzip-compressed or not) or standard input ("-"), as lines. Lines are
// split on bytes and capped, so a 10 MB line or a binary file costs memory bounded by the cap.
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { UsageError } from '../errors.js';
import { checkReadable } from './read-lines.js';

export interface InputSpec {
  node?: string;
  file: string;
}

/** Longer lines are cut here (the rest is dropped): nothing the rules match is near that long. */
export const MAX_LINE_BYTES = 1024 * 1024;

/** `--input [NODE=]FILE` → {node, file}; FILE "-" is standard input. */
export function parseInputSpec(spec: string): InputSpec {
  if (!spec) throw new UsageError('--input needs a file: --input [NODE=]FILE (FILE - is standard input)');
  const m = /^([A-Za-z0-9][A-Za-z0-9_.-]*)=(.+)$/.exec(spec);
  return m ? { node: m[1], file: m[2] } : { file: spec };
}

/** The node a file's lines belong to when neither NODE= nor the lines name one: its name up to the first dot. */
export function fileNode(spec: InputSpec): string {
  return spec.node ?? (spec.file === '-' ? 'stdin' : basename(spec.file).split('.')[0]);
}

/** The year of the file's modification time (UTC): the default for times written without a year. */
export function fileYear(spec: InputSpec, now: number): number {
  if (spec.file === '-') return new Date(now).getUTCFullYear();
  try {
    return statSync(spec.file).mtime.getUTCFullYear();
  } catch (err) {
    throw new UsageError(`--input ${spec.file}: cannot read the file: ${(err as Error).message}`);
  }
}

async function open(spec: InputSpec, stdin: Readable): Promise<Readable> {
  if (spec.file === '-') return stdin;
  checkReadable('--input', spec.file);
  const stream = createReadStream(spec.file);
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (err) => reject(new UsageError(`--input ${spec.file}: cannot read the file: ${err.message}`)));
  });
  return stream;
}

/** The input's bytes, gunzipped when they start with gzip's magic number (whatever the file's name). */
async function bytes(spec: InputSpec, stdin: Readable): Promise<AsyncIterable<Buffer>> {
  const iterator = (await open(spec, stdin))[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const head = await iterator.next();
  const all = async function* (): AsyncGenerator<Buffer> {
    if (head.done) return;
    yield head.value;
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) yield r.value;
  };
  if (head.done || head.value[0] !== 0x1f || head.value[1] !== 0x8b) return all();
  const gunzip = createGunzip();
  pipeline(Readable.from(all()), gunzip).catch(() => undefined); // the error reaches the reader through gunzip
  return gunzip;
}

/** Bytes → text lines: gzip by its magic number, UTF-16 by its byte-order mark, else UTF-8. */
export async function* inputLines(spec: InputSpec, stdin: Readable = process.stdin): AsyncGenerator<string> {
  const chunks = await bytes(spec, stdin);
  let first = true;
  let decoder = new TextDecoder('utf-8', { fatal: false });
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let cut = false;
  const flush = (): string => {
    const text = decoder.decode(Buffer.concat(pending, pendingBytes));
    pending = [];
    pendingBytes = 0;
    cut = false;
    return text.endsWith('\r') ? text.slice(0, -1) : text;
  };
  try {
    for await (const chunk of chunks) {
      let buf = chunk;
      if (first) {
        first = false;
        // UTF-16 by its byte-order mark, or (no mark) by ASCII text with a zero byte after each letter
        if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf.length >= 4 && buf[0] !== 0 && buf[1] === 0 && buf[2] !== 0 && buf[3] === 0)) decoder = new TextDecoder('utf-16le');
        else if (buf[0] === 0xfe && buf[1] === 0xff) decoder = new TextDecoder('utf-16be');
      }
      const nl = decoder.encoding === 'utf-8' ? 10 : -1;
      if (nl < 0) {
        // UTF-16: decode whole, then split
        pending.push(buf);
        pendingBytes += buf.length;
        continue;
      }
      let at = 0;
      for (let i = buf.indexOf(nl, at); i >= 0; i = buf.indexOf(nl, at)) {
        add(buf.subarray(at, i));
        yield flush();
        at = i + 1;
      }
      add(buf.subarray(at));
    }
  } catch (err) {
    throw new UsageError(`--input ${spec.file}: cannot read the file: ${(err as Error).message}`);
  }
  if (decoder.encoding !== 'utf-8') {
    for (const line of decoder.decode(Buffer.concat(pending)).split('\n')) yield line.slice(0, MAX_LINE_BYTES);
    return;
  }
  if (pendingBytes) yield flush();

  function add(part: Buffer): void {
    if (cut || part.length === 0) return;
    const room = MAX_LINE_BYTES - pendingBytes;
    if (part.length > room) {
      part = part.subarray(0, room);
      cut = true;
    }
    pending.push(part);
    pendingBytes += part.length;
  }
}
