// A response body read with a size cap: a peer or agent that answers without end cannot fill memory.

export class TooLargeError extends Error {}

export async function readTextCapped(res: Response, maxBytes: number): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await res.body?.cancel();
    throw new TooLargeError(`response of ${declared} bytes is over the ${maxBytes}-byte cap`);
  }
  if (!res.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body) {
    size += chunk.byteLength;
    if (size > maxBytes) throw new TooLargeError(`response over the ${maxBytes}-byte cap`); // leaving the loop cancels the stream
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function readJsonCapped(res: Response, maxBytes: number): Promise<unknown> {
  return JSON.parse(await readTextCapped(res, maxBytes));
}
