import { PassThrough } from 'node:stream';
import { createInterface } from 'node:readline';
import type { HelperConnection, HelperExit } from '../../../main/privilege/helper-connection';

/**
 * The other end of a HelperConnection, in memory: it reads what the client writes and answers
 * with whatever line the test chooses (valid or not), so the client's handling of every kind of
 * answer can be checked without a process. The real helper is exercised in the integration tests.
 */
export function fakeHelperPeer() {
  const input = new PassThrough();
  const output = new PassThrough();
  let settle!: (exit: HelperExit) => void;
  const exited = new Promise<HelperExit>((resolve) => {
    settle = resolve;
  });
  const waiting: ((request: { id: string; method: string; plan?: unknown }) => void)[] = [];
  const received: { id: string; method: string; plan?: unknown }[] = [];
  createInterface({ input }).on('line', (line) => {
    const request = JSON.parse(line) as { id: string; method: string };
    const waiter = waiting.shift();
    if (waiter) waiter(request);
    else received.push(request);
  });
  let inputEnded = false;
  input.on('end', () => {
    inputEnded = true;
  });
  input.resume();
  const connection: HelperConnection = { input, output, exited };
  return {
    connection,
    nextRequest: () => new Promise<{ id: string; method: string; plan?: unknown }>((resolve) => {
      const queued = received.shift();
      if (queued) resolve(queued);
      else waiting.push(resolve);
    }),
    send: (message: unknown) => output.write(`${JSON.stringify(message)}\n`),
    sendRaw: (text: string) => output.write(text),
    exit: (exit: Partial<HelperExit> = {}) => settle({ code: 0, signal: null, stderr: '', ...exit }),
    inputEnded: () => inputEnded || input.writableEnded,
  };
}

export const pingResult = (uid = 0, pid = 4242) => ({ version: '0.1.0', uid, pid, recovered: 0 });
