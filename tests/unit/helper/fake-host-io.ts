import type { HostIo, LinkAt, ToolResult } from '../../../main/helper/host-io';
import type { BatchOutcome } from '../../../main/helper/ip-line';
import type { LinkMap } from '../../../main/helper/link-facts';

type Tool = Parameters<HostIo['runTool']>[0];
export interface ToolCall { tool: Tool; args: readonly string[]; input?: string }

/**
 * An in-memory host for the logic above HostIo (inverses, reconciling, ownership of processes):
 * files and symlinks in maps, processes by pid, and tools answered by a script the test gives.
 * The real tools are exercised by the integration tests in labs.
 */
export class FakeHostIo implements HostIo {
  readonly files = new Map<string, string>();
  readonly symlinks = new Map<string, string>();
  readonly directories = new Set<string>();
  readonly processes = new Map<number, string[]>();
  readonly calls: ToolCall[] = [];
  readonly signals: { pid: number; signal: NodeJS.Signals }[] = [];

  constructor(private readonly answer: (call: ToolCall, io: FakeHostIo) => Partial<ToolResult> = () => ({})) {}

  readLinks(): Promise<LinkMap> { return Promise.resolve(new Map()); }
  readLinksWithoutAddresses(): Promise<LinkMap | undefined> { return Promise.resolve(undefined); }
  runIpBatch(_lines: readonly string[]): Promise<BatchOutcome> { return Promise.reject(new Error('no ip in the fake host')); }
  setUpThroughSysfs(_name: string, _mac: string): Promise<boolean> { return Promise.resolve(false); }
  readSysctl(_path: string): Promise<string | undefined> { return Promise.resolve(undefined); }
  writeSysctl(_path: string, _value: string): Promise<void> { return Promise.reject(new Error('no sysctls in the fake host')); }
  readForwarding(): Promise<Record<string, string>> { return Promise.resolve({}); }

  runTool(tool: Tool, args: readonly string[], input?: string): Promise<ToolResult> {
    const call = { tool, args, ...(input === undefined ? {} : { input }) };
    this.calls.push(call);
    return Promise.resolve({ exitCode: 0, stdout: '', stderr: '', ...this.answer(call, this) });
  }

  /** a tool started ahead is only a head start: the fake runs every tool when it is called */
  startAhead(): () => Promise<void> { return () => Promise.resolve(); }

  readText(path: string): Promise<string | undefined> { return Promise.resolve(this.files.get(path)); }
  writeTextAtomic(path: string, text: string): Promise<void> {
    this.files.set(path, text);
    return Promise.resolve();
  }
  removeFile(path: string): Promise<void> {
    this.files.delete(path);
    this.symlinks.delete(path);
    return Promise.resolve();
  }
  makeDirectory(path: string): Promise<void> {
    this.directories.add(path);
    return Promise.resolve();
  }
  readLinkAt(path: string): Promise<LinkAt> {
    const target = this.symlinks.get(path);
    if (target !== undefined) return Promise.resolve({ kind: 'symlink', target });
    return Promise.resolve(this.files.has(path) ? { kind: 'other' } : { kind: 'absent' });
  }
  writeSymlink(path: string, target: string): Promise<void> {
    this.symlinks.set(path, target);
    return Promise.resolve();
  }
  processCommandLine(pid: number): Promise<string[] | undefined> { return Promise.resolve(this.processes.get(pid)); }
  processState(pid: number): Promise<'alive' | 'dead'> { return Promise.resolve(this.processes.has(pid) ? 'alive' : 'dead'); }
  signal(pid: number, signal: NodeJS.Signals): void {
    this.signals.push({ pid, signal });
    this.processes.delete(pid);
  }
}
