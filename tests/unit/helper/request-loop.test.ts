import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { serve, type Handle } from '../../../main/helper/request-loop';
import { MAX_REQUEST_BYTES, type HelperMessage } from '../../../main/helper/protocol';

/** serves an in-memory stream; the handler answers after a delay and logs when it starts and ends */
function harness(delays: Record<string, number> = {}) {
  const input = new PassThrough();
  const out: HelperMessage[] = [];
  const trace: string[] = [];
  const handle: Handle = async (request, emit) => {
    trace.push(`start ${request.id}`);
    emit({ index: 0, total: 1, op: 'link.add', status: 'running' });
    await new Promise((r) => setTimeout(r, delays[request.id] ?? 0));
    trace.push(`end ${request.id}`);
    if (request.id === 'boom') throw new Error('kaboom');
    return { id: request.id, ok: true, result: request.method };
  };
  const done = serve(input, (m) => out.push(m), handle, () => undefined);
  return { input, out, trace, done };
}

describe('serve', () => {
  it('handles requests one at a time in arrival order, even when the first is slow', async () => {
    const h = harness({ a: 30, b: 0 });
    h.input.write('{"id":"a","method":"ping"}\n{"id":"b","method":"observe"}\n');
    h.input.end();
    await h.done;
    expect(h.trace).toEqual(['start a', 'end a', 'start b', 'end b']);
    expect(h.out).toEqual([
      { id: 'a', event: 'progress', index: 0, total: 1, op: 'link.add', status: 'running' },
      { id: 'a', ok: true, result: 'ping' },
      { id: 'b', event: 'progress', index: 0, total: 1, op: 'link.add', status: 'running' },
      { id: 'b', ok: true, result: 'observe' },
    ]);
  });

  it('answers bad lines in their place in the queue without calling the handler', async () => {
    const h = harness({ a: 20 });
    h.input.write('{"id":"a","method":"ping"}\nnot json\n{"id":"c","method":"nope"}\n');
    h.input.end();
    await h.done;
    expect(h.trace).toEqual(['start a', 'end a']);
    expect(h.out.map((m) => [m.id, 'ok' in m ? m.ok : m.event])).toEqual([['a', 'progress'], ['a', true], [null, false], ['c', false]]);
  });

  it('turns a handler crash into INTERNAL and keeps serving', async () => {
    const h = harness();
    h.input.write('{"id":"boom","method":"ping"}\n{"id":"z","method":"ping"}\n');
    h.input.end();
    await h.done;
    expect(h.out.filter((m) => 'ok' in m)).toEqual([
      { id: 'boom', ok: false, error: { code: 'INTERNAL', message: 'the helper failed unexpectedly: kaboom' } },
      { id: 'z', ok: true, result: 'ping' },
    ]);
  });

  it('refuses an oversize line once and reads on; a last line without newline still counts', async () => {
    const h = harness();
    h.input.write(`{"id":"big","pad":"${'x'.repeat(MAX_REQUEST_BYTES)}"}\n`);
    h.input.write('{"id":"tail","method":"ping"}');
    h.input.end();
    await h.done;
    expect(h.out.filter((m) => 'ok' in m)).toEqual([
      { id: null, ok: false, error: expect.objectContaining({ code: 'INVALID_REQUEST', field: '(line)' }) },
      { id: 'tail', ok: true, result: 'ping' },
    ]);
  });

  it('resolves only after the input ends and the last answer is written', async () => {
    const h = harness({ slow: 30 });
    let finished = false;
    void h.done.then(() => { finished = true; });
    h.input.write('{"id":"slow","method":"ping"}\n');
    await new Promise((r) => setTimeout(r, 50));
    expect(finished).toBe(false);
    h.input.end();
    await h.done;
    expect(h.out.at(-1)).toEqual({ id: 'slow', ok: true, result: 'ping' });
  });
});
