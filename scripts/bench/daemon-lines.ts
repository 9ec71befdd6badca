// Real-shaped Docker daemon log lines for benchmarks: the mix of a node in a swarm under a
// partition (mostly grpc "[core]" chatter and containerd noise, some gossip, a few session
// failures), in logrus text, and the same lines as `journalctl -o json` records.
// Templates are lines of fixtures/A-worker3-partition with their ids, times and numbers varied.

/** A small deterministic PRNG (mulberry32), so every run benches the same lines. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Pick = (n: number) => number;
type Template = (p: Pick, ids: Ids) => [level: string, msg: string, fields: string];

interface Ids {
  node: string;
  manager: string;
  gossip: string;
  peer: string;
}

const q = (s: string) => JSON.stringify(s); // close enough to Go's %q for these texts
const hex = (p: Pick, n: number) => Array.from({ length: n }, () => '0123456789abcdef'[p(16)]).join('');
const b36 = (p: Pick, n: number) => Array.from({ length: n }, () => 'abcdefghijklmnopqrstuvwxyz0123456789'[p(36)]).join('');
const NO_ROUTE = 'connection error: desc = "transport: Error while dialing dial tcp 10.213.0.11:2377: connect: no route to host"';
const AGENT = (ids: Ids) => `module=node/agent node.id=${ids.node}`;

const GRPC: Template[] = [
  () => ['info', '[core] Channel Connectivity change to SHUTDOWN', 'module=grpc'],
  () => ['info', '[core] Subchannel Connectivity change to CONNECTING', 'module=grpc'],
  () => ['info', '[core] Subchannel Connectivity change to TRANSIENT_FAILURE', 'module=grpc'],
  () => ['info', '[core] parsed scheme: ""', 'module=grpc'],
  () => ['info', '[core] scheme "" not registered, fallback to default scheme', 'module=grpc'],
  () => ['info', '[core] ccResolverWrapper: sending update to cc: {[{10.213.0.11:2377  <nil> 0 <nil>}] <nil> <nil>}', 'module=grpc'],
  () => ['info', '[core] ClientConn switching balancer to "pick_first"', 'module=grpc'],
  () => ['info', '[core] Subchannel picks a new address "10.213.0.11:2377" to connect', 'module=grpc'],
  () => ['warning', `[core] grpc: addrConn.createTransport failed to connect to {10.213.0.11:2377 10.213.0.11:2377 <nil> 0 <nil>}. Err: ${NO_ROUTE}. Reconnecting...`, 'module=grpc'],
];

const CONTAINERD: Template[] = [
  () => ['info', 'loading plugin "io.containerd.event.v1.publisher"...', 'runtime=io.containerd.runc.v2 type=io.containerd.event.v1'],
  (p) => ['info', 'starting signal loop', `namespace=moby path=/srv/lab/n1/exec/containerd/daemon/io.containerd.runtime.v2.task/moby/${hex(p, 64)} pid=${1000 + p(30000)} runtime=io.containerd.runc.v2`],
  (p) => ['info', 'shim disconnected', `id=${hex(p, 64)}`],
  (p) => ['warning', `cleanup warnings time="2026-11-22T01:44:25Z" level=info msg="starting signal loop" namespace=moby pid=${p(30000)} runtime=io.containerd.runc.v2\n`, ''],
  (p) => ['info', 'ignoring event', `container=${hex(p, 64)} module=libcontainerd namespace=moby topic=/tasks/delete type="*events.TaskDelete"`],
  (p) => ['error', 'pulling image failed', `error=${q('Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: network is unreachable')} module=node/agent/taskmanager node.id=${b36(p, 25)} service.id=${b36(p, 25)} task.id=${b36(p, 25)}`],
];

const GOSSIP: Template[] = [
  (_, ids) => ['info', `memberlist: Suspect ${ids.peer} has failed, no acks received`, ''],
  (_, ids) => ['info', `memberlist: Marking ${ids.peer} as failed, suspect timeout reached (0 peer confirmations)`, ''],
  (_, ids) => ['info', `Node ${ids.peer}/10.213.0.12, left gossip cluster`, ''],
  (_, ids) => ['info', `Node ${ids.peer} change state NodeActive --> NodeFailed`, ''],
  (_, ids) => ['info', `Node ${ids.peer}/10.213.0.12, added to failed nodes list`, ''],
  (_, ids) => ['info', `Node ${ids.peer}/10.213.0.12, joined gossip cluster`, ''],
  (_, ids) => ['info', `Node ${ids.peer} change state NodeFailed --> NodeActive`, ''],
  (p, ids) => ['warning', `NetworkDB stats node3(${ids.gossip}) - healthscore:${1 + p(9)} (connectivity issues)`, ''],
  (_, ids) => ['warning', `bulk sync to node ${ids.peer} failed: failed to send a TCP message during bulk sync: dial tcp 10.213.0.11:7946: connect: no route to host`, ''],
];

const SESSION: Template[] = [
  (_, ids) => ['error', 'heartbeat to manager { 10.213.0.11:2377} failed', `error="rpc error: code = DeadlineExceeded desc = context deadline exceeded" method="(*session).heartbeat" ${AGENT(ids)}`],
  (p, ids) => ['error', 'agent: session failed', `backoff=${['100ms', '300ms', '700ms', '1.5s', '3.1s', '6.3s', '8s'][p(7)]} error=${q(`rpc error: code = Unavailable desc = ${NO_ROUTE}`)} ${AGENT(ids)}`],
  (_, ids) => ['info', `manager selected by agent for new session: {${ids.manager} 10.213.0.11:2377}`, AGENT(ids)],
  (p, ids) => ['info', `waiting ${(p(8000) / 1000).toFixed(6)}s before registering session`, AGENT(ids)],
];

const MANAGER: Template[] = [
  (p) => ['info', `worker ${b36(p, 25)} was successfully registered`, 'method="(*Dispatcher).register"'],
  (p) => ['info', `${hex(p, 16)} became follower at term ${p(50)}`, 'module=raft'],
  (p) => ['info', `raft.node: ${hex(p, 16)} elected leader ${hex(p, 16)} at term ${p(50)}`, 'module=raft'],
  () => ['info', "Processing signal 'terminated'", ''],
  (p) => ['info', 'Container failed to exit within 10s of signal 15 - using the force', `container=${hex(p, 64)}`],
];

// Share of each group, in percent: grpc chatter dominates a partitioned node's log.
const MIX: [Template[], number][] = [[GRPC, 60], [CONTAINERD, 15], [GOSSIP, 12], [SESSION, 8], [MANAGER, 5]];

/** `n` logrus text lines, times increasing from 2026-11-22T01:44:00Z. */
export function daemonLines(n: number, seed = 1): string[] {
  const r = rng(seed);
  const p: Pick = (k) => Math.floor(r() * k);
  const ids: Ids = { node: b36(p, 25), manager: b36(p, 25), gossip: hex(p, 12), peer: hex(p, 12) };
  let t = Date.UTC(2026, 10, 22, 1, 44, 0) * 1e6; // ns
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    let roll = p(100);
    const group = MIX.find(([, share]) => (roll -= share) < 0)![0];
    const [level, msg, fields] = group[p(group.length)](p, ids);
    t += 1 + p(5_000_000);
    const stamp = new Date(Math.floor(t / 1e6)).toISOString().slice(0, 19) + '.' + String(t % 1e9).padStart(9, '0') + 'Z';
    lines.push(`time="${stamp}" level=${level} msg=${q(msg)}${fields ? ' ' + fields : ''}`);
  }
  return lines;
}

/** The lines as `journalctl -o json` prints them for a dockerd writing to the journal through stdout. */
export function journalJson(lines: string[], identifier: string, seed = 2): string[] {
  const r = rng(seed);
  const p: Pick = (k) => Math.floor(r() * k);
  const boot = hex(p, 32);
  const machine = hex(p, 32);
  const stream = hex(p, 32);
  let realtime = Date.UTC(2026, 10, 22, 1, 44, 0) * 1000;
  return lines.map((line, i) => {
    realtime += 1 + p(5000);
    return JSON.stringify({
      __CURSOR: `s=${stream};i=${(i + 1).toString(16)};b=${boot};m=${(i * 977).toString(16)};t=${realtime.toString(16)};x=${hex(p, 16)}`,
      __REALTIME_TIMESTAMP: String(realtime),
      __MONOTONIC_TIMESTAMP: String(1_000_000 + i * 977),
      _BOOT_ID: boot,
      _MACHINE_ID: machine,
      _HOSTNAME: 'node3',
      _TRANSPORT: 'stdout',
      PRIORITY: '6',
      SYSLOG_FACILITY: '3',
      SYSLOG_IDENTIFIER: identifier,
      _PID: '15997',
      _UID: '0',
      _GID: '0',
      _COMM: 'dockerd',
      _EXE: '/usr/sbin/dockerd',
      _CMDLINE: '/usr/sbin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock',
      _CAP_EFFECTIVE: '1ffffffffff',
      _SYSTEMD_CGROUP: '/system.slice/docker.service',
      _SYSTEMD_UNIT: 'docker.service',
      _SYSTEMD_SLICE: 'system.slice',
      _STREAM_ID: stream,
      MESSAGE: line,
    });
  });
}
