// The few kinds of failure an agent's session ends with, read from the logrus `error` field.
// Substrings, checked in order (the more specific first), are swarmkit's and grpc's own texts.

export type ErrorClass = 'NotRegistered' | 'NoLeader' | 'DeadlineExceeded' | 'Unavailable' | 'Other';

const CLASSES: ReadonlyArray<readonly [ErrorClass, readonly string[]]> = [
  // swarmkit manager/dispatcher/dispatcher.go ErrNodeNotRegistered (sent as codes.NotFound by nodes.go)
  ['NotRegistered', ['node not registered']],
  [
    'NoLeader',
    [
      'no elected cluster leader', // swarmkit manager/state/raft/raft.go ErrNoClusterLeader
      'lost leader status', // swarmkit manager/state/raft/raft.go ErrLostLeadership
      'dispatcher is stopped', // swarmkit dispatcher.go: this manager stopped being leader (codes.Aborted)
      'no leader',
      'not leader',
      'not the leader',
    ],
  ],
  ['DeadlineExceeded', ['code = DeadlineExceeded', 'context deadline exceeded']],
  [
    'Unavailable',
    [
      'code = Unavailable',
      'no route to host',
      'connection refused',
      'network is unreachable',
      'transport is closing',
      'connection reset by peer',
      'i/o timeout',
    ],
  ],
];

/** Undefined when there is no error text at all. */
export function classifyError(text: string | undefined): ErrorClass | undefined {
  if (!text) return undefined;
  for (const [name, needles] of CLASSES) {
    for (const needle of needles) if (text.includes(needle)) return name;
  }
  return 'Other';
}
