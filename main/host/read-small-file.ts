import { readFileSync } from 'node:fs';

/**
 * A small file of /proc/sys, /proc/net or KVMNet's own, read synchronously; undefined when it
 * cannot be read. Planning reads a few dozen of them: synchronously each takes microseconds, while
 * an asynchronous read is four round trips through libuv's thread pool, which on a busy machine
 * cost milliseconds in all, before every plan (the helper's host-io.ts reads its files the same way).
 */
export function readSmallFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
