import { describe, expect, it } from 'vitest';
import { PrivilegeState } from '../../../main/core/privilege-state';
import { classifyElevationFailure } from '../../../main/privilege/classify-elevation';
import type { HelperExit } from '../../../main/privilege/helper-connection';

const exit = (over: Partial<HelperExit>): HelperExit => ({ code: null, signal: null, stderr: '', ...over });

describe('classifyElevationFailure', () => {
  it.each([
    ['pkexec 126: dialog dismissed', { kind: 'exited', method: 'pkexec', exit: exit({ code: 126 }) }, 'dismissed'],
    ['pkexec 127: not authorized', { kind: 'exited', method: 'pkexec', exit: exit({ code: 127, stderr: 'Error executing command as another user: Not authorized' }) }, 'not-authorized'],
    ['pkexec 127: no agent', { kind: 'exited', method: 'pkexec', exit: exit({ code: 127, stderr: 'Error executing command as another user: No authentication agent found.' }) }, 'not-authorized'],
    ['pkexec missing', { kind: 'exited', method: 'pkexec', exit: exit({ spawnError: 'ENOENT' }) }, 'unavailable'],
    ['helper under pkexec exits 1 before its ping answer', { kind: 'exited', method: 'pkexec', exit: exit({ code: 1, stderr: 'SyntaxError: Unexpected token' }) }, 'helper-crashed'],
    ['helper under pkexec exits 0 before its ping answer', { kind: 'exited', method: 'pkexec', exit: exit({ code: 0 }) }, 'helper-crashed'],
    ['sudo-prompt dismissed', { kind: 'exited', method: 'sudo-prompt', exit: exit({ code: 126, message: 'User did not grant permission.' }) }, 'dismissed'],
    ['sudo-prompt without agent', { kind: 'exited', method: 'sudo-prompt', exit: exit({ code: 127, message: 'No polkit authentication agent found.' }) }, 'not-authorized'],
    ['sudo-prompt without pkexec/kdesudo', { kind: 'exited', method: 'sudo-prompt', exit: exit({ code: 1, message: 'Unable to find pkexec or kdesudo.' }) }, 'unavailable'],
    ['helper under sudo-prompt fails', { kind: 'exited', method: 'sudo-prompt', exit: exit({ code: 1, message: 'Command failed: ...' }) }, 'helper-crashed'],
    ['root helper killed', { kind: 'exited', method: 'root', exit: exit({ signal: 'SIGKILL' }) }, 'helper-crashed'],
    ['garbage answer', { kind: 'bad-answer', method: 'root', detail: 'not JSON: hello' }, 'helper-crashed'],
    ['no pkexec and no display', { kind: 'no-means', detail: 'There is no graphical session.' }, 'unavailable'],
    ['launcher cannot be prepared', { kind: 'launch-failed', method: 'sudo-prompt', detail: 'runtime path unsafe' }, 'unavailable'],
  ] as const)('%s -> %s', (_name, failure, reason) => {
    const state = classifyElevationFailure(failure);
    expect(PrivilegeState.parse(state)).toEqual(state);
    expect(state).toMatchObject({ status: 'refused', reason });
    expect(state.message).toMatch(/read-only/);
  });

  it('tells a missing polkit agent apart from a refusal in the message', () => {
    const agent = classifyElevationFailure({ kind: 'exited', method: 'pkexec', exit: exit({ code: 127, stderr: 'No authentication agent found.' }) });
    const denied = classifyElevationFailure({ kind: 'exited', method: 'pkexec', exit: exit({ code: 127, stderr: 'Not authorized' }) });
    expect(agent.message).toMatch(/polkit authentication agent/);
    expect(denied.message).toMatch(/did not authorize/);
  });

  it('quotes the last line the crashed helper wrote', () => {
    const state = classifyElevationFailure({ kind: 'exited', method: 'root', exit: exit({ code: 3, stderr: 'starting\nError: journal is corrupt' }) });
    expect(state.message).toContain('exit code 3: Error: journal is corrupt');
  });
});
