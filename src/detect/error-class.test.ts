import { describe, it, expect } from 'vitest';
import { classifyError } from './error-class.js';

describe('classifyError', () => {
  it('classifies the errors agents log (texts from the capture and from swarmkit)', () => {
    expect(classifyError('rpc error: code = DeadlineExceeded desc = context deadline exceeded')).toBe('DeadlineExceeded');
    expect(
      classifyError('rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing dial tcp 10.213.0.11:2377: connect: no route to host"'),
    ).toBe('Unavailable');
    expect(classifyError('dial tcp 10.0.0.1:2377: connect: connection refused')).toBe('Unavailable');
    expect(classifyError('rpc error: code = NotFound desc = node not registered')).toBe('NotRegistered');
    expect(classifyError('rpc error: code = Unknown desc = raft: no elected cluster leader')).toBe('NoLeader');
    expect(classifyError('rpc error: code = Aborted desc = dispatcher is stopped')).toBe('NoLeader');
    expect(classifyError('rpc error: code = PermissionDenied desc = x')).toBe('Other');
    expect(classifyError('')).toBeUndefined();
    expect(classifyError(undefined)).toBeUndefined();
  });
});
