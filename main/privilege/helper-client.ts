import type { z } from 'zod';
import {
  HelperMessage,
  MAX_REQUEST_BYTES,
  Request,
  ResultByMethod,
  type Method,
  type Plan,
  type ProgressEvent,
} from '../helper/protocol';
import type { HelperConnection, HelperExit } from './helper-connection';
import { HelperGoneError, HelperProtocolError, HelperRequestError } from './helper-errors';

export type ResultOf<M extends Method> = z.output<(typeof ResultByMethod)[M]>;

/** A host snapshot can be large; anything beyond this without a newline is not a protocol line. */
export const MAX_MESSAGE_CHARS = 32 * 1024 * 1024;

interface Pending {
  method: Method;
  resolve(value: unknown): void;
  reject(error: Error): void;
  onProgress?: (event: ProgressEvent) => void;
}

/**
 * Talks to one running helper over newline-delimited JSON: numbered requests, one promise per
 * request, progress routed to the request that asked for it. Every line from the helper is parsed
 * with the protocol schemas; the first line that does not parse ends our trust in the helper:
 * everything pending fails and its stdin is closed, which makes it exit.
 */
export class HelperClient {
  private readonly pending = new Map<string, Pending>();
  private nextId = 1;
  private buffered = '';
  private broken: Error | undefined;
  readonly exited: Promise<HelperExit>;

  constructor(private readonly connection: HelperConnection) {
    connection.output.setEncoding('utf8');
    connection.output.on('data', (chunk: string) => this.receive(chunk));
    // writing to a helper that just died gives EPIPE; its exit is reported through `exited`
    connection.input.on('error', () => undefined);
    connection.output.on('error', () => undefined);
    this.exited = connection.exited.then((exit) => {
      this.fail(new HelperGoneError(exit));
      return exit;
    });
  }

  ping(): Promise<ResultOf<'ping'>> {
    return this.request({ method: 'ping' });
  }

  observe(): Promise<ResultOf<'observe'>> {
    return this.request({ method: 'observe' });
  }

  apply(plan: Plan, onProgress?: (event: ProgressEvent) => void): Promise<ResultOf<'apply'>> {
    return this.request({ method: 'apply', plan }, onProgress);
  }

  /** Closes the helper's stdin (it then finishes what it is doing and exits) and waits for the exit. */
  dispose(): Promise<HelperExit> {
    this.connection.input.end();
    return this.exited;
  }

  private request<M extends Method>(body: { method: M; plan?: Plan }, onProgress?: (event: ProgressEvent) => void): Promise<ResultOf<M>> {
    if (this.broken) return Promise.reject(this.broken);
    const id = `r${this.nextId++}`;
    // the helper validates again; parsing here turns our own bugs into clear errors before anything is sent
    const request = Request.safeParse({ id, ...body });
    if (!request.success) return Promise.reject(request.error);
    const line = `${JSON.stringify(request.data)}\n`;
    if (Buffer.byteLength(line) > MAX_REQUEST_BYTES) {
      return Promise.reject(new RangeError(`request is larger than the helper accepts (${MAX_REQUEST_BYTES} bytes); split the plan`));
    }
    return new Promise<ResultOf<M>>((resolve, reject) => {
      this.pending.set(id, { method: body.method, resolve: resolve as (v: unknown) => void, reject, ...(onProgress ? { onProgress } : {}) });
      this.connection.input.write(line);
    });
  }

  private receive(chunk: string): void {
    if (this.broken) return;
    this.buffered += chunk;
    let newline: number;
    while ((newline = this.buffered.indexOf('\n')) >= 0) {
      const line = this.buffered.slice(0, newline).trim();
      this.buffered = this.buffered.slice(newline + 1);
      if (line) this.handleLine(line);
      if (this.broken) return;
    }
    if (this.buffered.length > MAX_MESSAGE_CHARS) this.violate(`a line longer than ${MAX_MESSAGE_CHARS} characters`);
  }

  private handleLine(line: string): void {
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      return this.violate(`not JSON: ${line.slice(0, 120)}`);
    }
    const parsed = HelperMessage.safeParse(json);
    if (!parsed.success) return this.violate(`not a protocol message (${parsed.error.issues[0]?.message ?? 'invalid'}): ${line.slice(0, 120)}`);
    const message = parsed.data;
    const pending = message.id === null ? undefined : this.pending.get(message.id);
    if (!pending) return this.violate(`an answer to a request we did not send (id ${String(message.id)})`);
    if ('event' in message) {
      pending.onProgress?.(message);
      return;
    }
    if (!message.ok) {
      this.pending.delete(message.id!);
      return pending.reject(new HelperRequestError(message.error));
    }
    const result = ResultByMethod[pending.method].safeParse(message.result);
    if (!result.success) return this.violate(`a ${pending.method} result of the wrong shape (${result.error.issues[0]?.path.join('.')}: ${result.error.issues[0]?.message})`);
    this.pending.delete(message.id!);
    pending.resolve(result.data);
  }

  private violate(detail: string): void {
    this.fail(new HelperProtocolError(detail));
    this.connection.input.end();
  }

  private fail(error: Error): void {
    this.broken ??= error;
    for (const pending of this.pending.values()) pending.reject(this.broken);
    this.pending.clear();
  }
}
