// A real HTTP server standing in for Slack: the incoming-webhook endpoint (records every message and can
// answer 429 with Retry-After, 500, or go away, on demand) and, under /api/, the Web API methods of the
// bot mode (slack-web-api.ts).
import { createServer, type Server } from 'node:http';
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SlackWebApi } from './slack-web-api.js';

export const BOT_TOKEN = 'xoxb-0000000001-lab-bot-token';
export const CHANNEL = 'C0LABALERT';

export interface Received {
  at: number;
  path: string;
  body: { text?: string; blocks?: unknown[] };
  /** What the stand-in answered. */
  status: number;
}

export class SlackStandIn {
  readonly received: Received[] = [];
  /** Answers to give next, in order (then 200). */
  script: Array<{ status: number; retryAfter?: number }> = [];
  private server?: Server;
  url = '';
  readonly api = new SlackWebApi(BOT_TOKEN, [CHANNEL]);

  constructor(private readonly host: string, private port = 0) {}

  /** Started on the lab's bridge address (reachable from every node), its URL written to `secretFile`. */
  static async forLab(lab: { subnet: string }, secretFile: string): Promise<SlackStandIn> {
    const slack = new SlackStandIn(`${lab.subnet}.1`);
    await slack.start();
    writeFileSync(secretFile, slack.url);
    return slack;
  }

  /** Bot mode: the stand-in on the lab's bridge; the token and channel secrets written into `dir`. */
  static async botForLab(lab: { subnet: string }, dir: string): Promise<{ slack: SlackStandIn; tokenFile: string; channelFile: string }> {
    const slack = new SlackStandIn(`${lab.subnet}.1`);
    await slack.start();
    const tokenFile = join(dir, 'slack_bot_token');
    const channelFile = join(dir, 'slack_channel');
    writeFileSync(tokenFile, BOT_TOKEN);
    writeFileSync(channelFile, CHANNEL);
    return { slack, tokenFile, channelFile };
  }

  get apiUrl(): string {
    return `http://${this.host}:${this.port}/api/`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let data = '';
      req.on('data', (c) => (data += c));
      req.on('end', () => {
        const method = /^\/api\/([\w.]+)/.exec(req.url ?? '')?.[1];
        if (method) {
          const { status, headers, answer } = this.api.handle(method, req, data);
          res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
          res.end(JSON.stringify(answer));
          return;
        }
        const next = this.script.shift() ?? { status: 200 };
        let body: Received['body'] = {};
        try {
          body = JSON.parse(data);
        } catch {
          body = { text: data };
        }
        this.received.push({ at: Date.now(), path: req.url ?? '', body, status: next.status });
        res.writeHead(next.status, next.retryAfter !== undefined ? { 'retry-after': String(next.retryAfter) } : {});
        res.end(next.status === 200 ? 'ok' : 'error');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, this.host, resolve));
    this.port = (this.server.address() as AddressInfo).port;
    this.url = `http://${this.host}:${this.port}/services/T0000/B0000/lab-webhook-secret`;
  }

  /** Delivered messages (answered 200). */
  get delivered(): Received[] {
    return this.received.filter((r) => r.status === 200);
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}
