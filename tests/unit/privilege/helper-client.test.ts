import { describe, expect, it, vi } from 'vitest';
import { HelperClient } from '../../../main/privilege/helper-client';
import { HelperGoneError, HelperProtocolError, HelperRequestError } from '../../../main/privilege/helper-errors';
import type { Plan } from '../../../main/helper/protocol';
import { fakeHelperPeer, pingResult } from './fake-helper-peer';

const plan: Plan = { description: 'bridge for lab', steps: [{ op: 'link.add', kind: 'bridge', name: 'kvbr0', network: 'lab' }, { op: 'link.setState', name: 'kvbr0', up: true }] };

describe('HelperClient', () => {
  it('sends a valid numbered request and resolves with the parsed answer', async () => {
    const peer = fakeHelperPeer();
    const client = new HelperClient(peer.connection);
    const answer = client.ping();
    const request = await peer.nextRequest();
    expect(request).toEqual({ id: 'r1', method: 'ping' });
    peer.send({ id: request.id, ok: true, result: pingResult() });
    await expect(answer).resolves.toEqual(pingResult());
  });

  it('matches answers to requests by id, in whatever order they come', async () => {
    const peer = fakeHelperPeer();
    const client = new HelperClient(peer.connection);
    const first = client.ping();
    const second = client.apply(plan);
    const [a, b] = [await peer.nextRequest(), await peer.nextRequest()];
    expect(b).toEqual({ id: 'r2', method: 'apply', plan });
    peer.send({ id: b.id, ok: true, result: { applied: 2 } });
    peer.send({ id: a.id, ok: true, result: pingResult(0, 7) });
    await expect(second).resolves.toEqual({ applied: 2 });
    await expect(first).resolves.toEqual(pingResult(0, 7));
  });

  it('routes progress events to the request that asked, and reassembles split lines', async () => {
    const peer = fakeHelperPeer();
    const client = new HelperClient(peer.connection);
    const progress = vi.fn();
    const applying = client.apply(plan, progress);
    const { id } = await peer.nextRequest();
    const event = JSON.stringify({ id, event: 'progress', index: 0, total: 2, op: 'link.add', status: 'done' });
    peer.sendRaw(event.slice(0, 10));
    peer.sendRaw(`${event.slice(10)}\n${JSON.stringify({ id, event: 'progress', index: 1, total: 2, op: 'link.setState', status: 'running' })}\n`);
    peer.send({ id, ok: true, result: { applied: 2 } });
    await expect(applying).resolves.toEqual({ applied: 2 });
    expect(progress.mock.calls.map(([e]) => `${e.index}:${e.status}`)).toEqual(['0:done', '1:running']);
  });

  it('rejects with the helper error, keeping code, field and failure details', async () => {
    const peer = fakeHelperPeer();
    const client = new HelperClient(peer.connection);
    const applying = client.apply(plan);
    const { id } = await peer.nextRequest();
    const error = { code: 'NOT_OWNED', message: 'eth0 is not owned by KVMNet', field: 'plan.steps.0.name' };
    peer.send({ id, ok: false, error });
    const thrown = await applying.catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(HelperRequestError);
    expect(thrown).toMatchObject({ code: 'HELPER', message: 'eth0 is not owned by KVMNet', field: 'plan.steps.0.name', helperError: error });
  });

  it('refuses to send a request the protocol would reject, and sends nothing', async () => {
    const peer = fakeHelperPeer();
    const client = new HelperClient(peer.connection);
    await expect(client.apply({ steps: [] })).rejects.toThrow(/plan/);
    const ping = client.ping();
    expect((await peer.nextRequest()).method).toBe('ping');
    peer.send({ id: 'r2', ok: true, result: pingResult() });
    await expect(ping).resolves.toBeDefined();
  });

  it.each([
    ['a line that is not JSON', 'Welcome to the helper!\n'],
    ['JSON that is not a protocol message', '{"hello":"world"}\n'],
    ['an answer to a request never sent', `${JSON.stringify({ id: 'r99', ok: true, result: {} })}\n`],
    ['a ping result of the wrong shape', `${JSON.stringify({ id: 'r1', ok: true, result: { version: '1', uid: 'root' } })}\n`],
  ])('stops trusting the helper after %s: pending and later requests fail, its stdin closes', async (_name, line) => {
    const peer = fakeHelperPeer();
    const client = new HelperClient(peer.connection);
    const ping = client.ping();
    await peer.nextRequest();
    peer.sendRaw(line);
    await expect(ping).rejects.toBeInstanceOf(HelperProtocolError);
    await expect(client.observe()).rejects.toBeInstanceOf(HelperProtocolError);
    expect(peer.inputEnded()).toBe(true);
  });

  it('rejects everything pending when the helper exits, with how it exited', async () => {
    const peer = fakeHelperPeer();
    const client = new HelperClient(peer.connection);
    const pending = [client.ping(), client.observe(), client.apply(plan)];
    peer.exit({ code: 1, stderr: 'boom\nError: cannot open journal' });
    for (const p of pending) {
      const error = await p.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HelperGoneError);
      expect((error as HelperGoneError).exit.code).toBe(1);
      expect((error as Error).message).toContain('Error: cannot open journal');
    }
    await expect(client.ping()).rejects.toBeInstanceOf(HelperGoneError);
  });

  it('closes the helper stdin on dispose and resolves with its exit', async () => {
    const peer = fakeHelperPeer();
    const client = new HelperClient(peer.connection);
    const disposed = client.dispose();
    expect(peer.inputEnded()).toBe(true);
    peer.exit({ code: 0 });
    await expect(disposed).resolves.toMatchObject({ code: 0 });
  });
});
