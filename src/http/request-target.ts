// The path and query of a request target, without trusting it: `//x:99999/` or `//[/` are paths here
// (origin-form, RFC 9112 3.2.1), never a host to parse. Undefined: not a target we can answer.

export interface Target {
  path: string;
  query: URLSearchParams;
}

export function parseTarget(raw: string | undefined): Target | undefined {
  if (!raw) return undefined;
  let target = raw;
  if (!target.startsWith('/')) {
    // absolute-form (what a proxy sends): only its path and query count
    if (!/^https?:\/\//i.test(target) || !URL.canParse(target)) return undefined;
    const url = new URL(target);
    target = `${url.pathname}${url.search}`;
  }
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  try {
    return { path, query: new URLSearchParams(q < 0 ? '' : target.slice(q + 1)) };
  } catch {
    return undefined;
  }
}
