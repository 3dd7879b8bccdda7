import { LineSplitter } from './line-splitter';
import { oversizeError, parseRequestLine } from './parse-request';
import { MAX_REQUEST_BYTES, type HelperMessage, type ProgressEvent, type Request, type Response } from './protocol';

export type Handle = (request: Request, emit: (event: Omit<ProgressEvent, 'id' | 'event'>) => void) => Promise<Response>;

/**
 * Serves newline-delimited JSON requests one at a time, in order: a second apply waits for the
 * first. Resolves once the input has ended and every request received before has been answered,
 * so the helper never outlives its client.
 */
export function serve(input: NodeJS.ReadableStream, write: (message: HelperMessage) => void, handle: Handle, log: (line: string) => void): Promise<void> {
  const splitter = new LineSplitter(MAX_REQUEST_BYTES);
  let tail = Promise.resolve();

  const answer = async (line: string): Promise<void> => {
    const parsed = parseRequestLine(line);
    if (!parsed.ok) {
      log(`refused request ${parsed.id ?? '(no id)'}: ${parsed.error.message}`);
      write({ id: parsed.id, ok: false, error: parsed.error });
      return;
    }
    const { id } = parsed.request;
    try {
      write(await handle(parsed.request, (event) => write({ id, event: 'progress', ...event })));
    } catch (e) {
      log(`${parsed.request.method} ${id} failed: ${(e as Error).stack ?? String(e)}`);
      write({ id, ok: false, error: { code: 'INTERNAL', message: `the helper failed unexpectedly: ${(e as Error).message}` } });
    }
  };

  const enqueue = (items: ReturnType<LineSplitter['push']>) => {
    for (const item of items) {
      tail = tail.then(() => ('line' in item ? answer(item.line) : write({ id: null, ok: false, error: oversizeError() })));
    }
  };

  return new Promise((resolve) => {
    input.on('data', (chunk: Buffer) => enqueue(splitter.push(chunk)));
    const finish = () => {
      enqueue(splitter.end());
      void tail.then(resolve);
    };
    input.once('end', finish);
    input.once('error', (e) => {
      log(`stdin failed: ${e.message}`);
      finish();
    });
  });
}
