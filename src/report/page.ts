// The HTML document around a page's content: style and script inlined, no outside request at all
// (the favicon too), so it works on a cluster without internet and as a file attached to a ticket.
import { esc } from './html.js';
import { CSS, SCRIPT } from './page-assets.js';

export interface PageShell {
  title: string;
  header: string;
  body: string;
  /** Seconds between refreshes of #live; 0 for a file. */
  refreshSeconds: number;
}

export function htmlPage({ title, header, body, refreshSeconds }: PageShell): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title>
<link rel="icon" href="data:,">
<style>${CSS}</style>
</head>
<body data-refresh="${refreshSeconds}">
<header>${header}</header>
<main>${body}</main>
<script>${SCRIPT}</script>
</body></html>
`;
}
