import { describe, expect, it, vi } from 'vitest';
import type { ElevationMethod, PrivilegeState } from '../../../main/core/privilege-state';
import type { ElevationStrategy } from '../../../main/privilege/elevation-strategy';
import type { HelperExit } from '../../../main/privilege/helper-connection';
import { PrivilegeSession, type ElevationPick } from '../../../main/privilege/privilege-session';
import { KvmnetError } from '../../../main/core/kvmnet-error';
import { fakeHelperPeer, pingResult } from './fake-helper-peer';

type Peer = ReturnType<typeof fakeHelperPeer>;

/** A strategy whose every launch is counted: one launch is one password dialog. */
function countingStrategy(method: ElevationMethod, onLaunch: (peer: Peer) => void, readyTimeoutMs?: number) {
  const peers: Peer[] = [];
  const strategy: ElevationStrategy = {
    method,
    ...(readyTimeoutMs !== undefined ? { readyTimeoutMs } : {}),
    launch: vi.fn(async () => {
      const peer = fakeHelperPeer();
      peers.push(peer);
      onLaunch(peer);
      return peer.connection;
    }),
  };
  return { strategy, peers, launches: () => peers.length };
}

/** answers the first ping like a helper running as `uid` */
const answersPing = (uid = 0, pid = 4242) => (peer: Peer) => {
  void peer.nextRequest().then(({ id }) => peer.send({ id, ok: true, result: pingResult(uid, pid) }));
};
/** ends like pkexec or sudo-prompt whose dialog was closed */
const exitsWith = (exit: Partial<HelperExit>) => (peer: Peer) => {
  void peer.nextRequest().then(() => peer.exit(exit));
};

function session(pick: ElevationPick) {
  const s = new PrivilegeSession(async () => pick);
  const seen: PrivilegeState[] = [];
  s.subscribe((state) => seen.push(state));
  return { s, seen };
}

describe('PrivilegeSession', () => {
  it('starts read-only', () => {
    expect(new PrivilegeSession(async () => ({ unavailable: 'x' })).state()).toEqual({ status: 'read-only' });
  });

  it('shares one attempt, so one dialog, between 5 concurrent elevate() calls', async () => {
    const c = countingStrategy('pkexec', answersPing(0, 777));
    const { s, seen } = session({ strategy: c.strategy });
    const results = await Promise.all([s.elevate(), s.elevate(), s.elevate(), s.elevate(), s.elevate()]);
    expect(c.launches()).toBe(1);
    for (const r of results) expect(r).toEqual({ status: 'elevated', method: 'pkexec', helperPid: 777 });
    expect(seen).toEqual([
      { status: 'elevating', method: 'pkexec' },
      { status: 'elevated', method: 'pkexec', helperPid: 777 },
    ]);
  });

  it('never asks again once elevated', async () => {
    const c = countingStrategy('sudo-prompt', answersPing());
    const { s } = session({ strategy: c.strategy });
    await s.elevate();
    await s.elevate();
    await s.elevate();
    expect(c.launches()).toBe(1);
    expect(s.helper()).toBeDefined();
  });

  it('stays usable read-only after a dismissed dialog, and asks again only when told to', async () => {
    const c = countingStrategy('pkexec', exitsWith({ code: 126 }));
    const { s } = session({ strategy: c.strategy });
    await expect(s.elevate()).resolves.toMatchObject({ status: 'refused', reason: 'dismissed' });
    expect(c.launches()).toBe(1);
    expect(() => s.helper()).toThrow(KvmnetError);
    await expect(s.elevate()).resolves.toMatchObject({ status: 'refused', reason: 'dismissed' });
    expect(c.launches()).toBe(2);
  });

  it('classifies a sudo-prompt refusal from its message', async () => {
    const c = countingStrategy('sudo-prompt', exitsWith({ code: 126, message: 'User did not grant permission.' }));
    await expect(session({ strategy: c.strategy }).s.elevate()).resolves.toMatchObject({ status: 'refused', reason: 'dismissed' });
  });

  it('treats a helper that is not root as crashed, and closes it', async () => {
    const c = countingStrategy('sudo-prompt', answersPing(1000));
    const { s } = session({ strategy: c.strategy });
    await expect(s.elevate()).resolves.toMatchObject({ status: 'refused', reason: 'helper-crashed', message: expect.stringContaining('uid 1000') });
    expect(c.peers[0]!.inputEnded()).toBe(true);
  });

  it('treats garbage instead of a ping answer as a crash', async () => {
    const c = countingStrategy('root', (peer) => void peer.nextRequest().then(() => peer.sendRaw('Segmentation fault\n')));
    await expect(session({ strategy: c.strategy }).s.elevate()).resolves.toMatchObject({ status: 'refused', reason: 'helper-crashed' });
  });

  it('gives up on a root helper that does not answer in time', async () => {
    const c = countingStrategy('root', () => undefined, 50);
    const { s } = session({ strategy: c.strategy });
    await expect(s.elevate()).resolves.toMatchObject({ status: 'refused', reason: 'helper-crashed', message: expect.stringContaining('did not answer within 0.05 s') });
    expect(c.peers[0]!.inputEnded()).toBe(true);
  });

  it('reports a helper that dies after elevation, and can elevate again', async () => {
    const c = countingStrategy('root', answersPing());
    const { s, seen } = session({ strategy: c.strategy });
    await s.elevate();
    c.peers[0]!.exit({ code: null, signal: 'SIGKILL' });
    await vi.waitFor(() => expect(s.state()).toMatchObject({ status: 'refused', reason: 'helper-crashed' }));
    expect(seen.at(-1)).toMatchObject({ status: 'refused', reason: 'helper-crashed' });
    await expect(s.elevate()).resolves.toMatchObject({ status: 'elevated' });
    expect(c.launches()).toBe(2);
  });

  it('is unavailable without a way to ask, and says why', async () => {
    const { s } = session({ unavailable: 'There is no graphical session.' });
    await expect(s.elevate()).resolves.toMatchObject({ status: 'refused', reason: 'unavailable', message: expect.stringContaining('no graphical session') });
  });

  it('reports a launcher that cannot even start as unavailable', async () => {
    const strategy: ElevationStrategy = { method: 'sudo-prompt', launch: () => Promise.reject(new Error('runtime "/a=b" cannot be passed')) };
    await expect(session({ strategy }).s.elevate()).resolves.toMatchObject({ status: 'refused', reason: 'unavailable', message: expect.stringContaining('/a=b') });
  });

  it('closes the helper on dispose without reporting a crash', async () => {
    const c = countingStrategy('root', answersPing());
    const { s } = session({ strategy: c.strategy });
    await s.elevate();
    const disposed = s.dispose();
    expect(c.peers[0]!.inputEnded()).toBe(true);
    c.peers[0]!.exit({ code: 0 });
    await disposed;
    expect(s.state()).toEqual({ status: 'read-only' });
  });
});
