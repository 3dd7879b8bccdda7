import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { startTool } from '../../../main/helper/tool-process';

const LIMITS = { env: { PATH: '/usr/bin:/bin' }, timeoutMs: 5000, maxBuffer: 1024 * 1024 };
/** a tool that, like `ip -batch -` and `nft -f -`, does its work only once it has read its whole input */
const node = (script: string) => startTool(process.execPath, 'node', ['-e', script], LIMITS);
const ECHO_INPUT = 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => { process.stdout.write(`got ${s.length}:${s}`); process.stderr.write("said"); process.exitCode = s ? 3 : 0; });';

describe('startTool: a tool process, started now and fed later', () => {
  it('runs only once it is fed, and gives back its exit code, output and complaint', async () => {
    const tool = node(ECHO_INPUT);
    await new Promise((r) => setTimeout(r, 200));
    expect(await tool.feed('ip link add x')).toEqual({ exitCode: 3, stdout: 'got 13:ip link add x', stderr: 'said' });
  });

  it('fed nothing, it reads an empty input and has nothing to do', async () => {
    expect(await node(ECHO_INPUT).feed()).toEqual({ exitCode: 0, stdout: 'got 0:', stderr: 'said' });
  });

  it('counts its timeout from the feed, not from the start, and says it timed out', async () => {
    const tool = startTool(process.execPath, 'node', ['-e', 'process.stdin.resume(); process.stdin.on("end", () => setTimeout(() => {}, 60000))'], { ...LIMITS, timeoutMs: 300 });
    // waiting longer than the timeout before the feed does not count
    await new Promise((r) => setTimeout(r, 500));
    const fed = performance.now();
    const result = await tool.feed('x');
    expect(performance.now() - fed).toBeGreaterThanOrEqual(290);
    expect(result).toEqual({ exitCode: -1, stdout: '', stderr: 'node timed out' });
  });

  it('is stopped when it writes more than the limit', async () => {
    const result = await startTool(process.execPath, 'node', ['-e', 'process.stdout.write("y".repeat(4096)); setTimeout(() => {}, 60000)'], { ...LIMITS, maxBuffer: 1000 }).feed();
    expect(result.exitCode).toBe(-1);
    expect(result.stderr).toBe('node wrote more than 1000 bytes');
  });

  it('a tool that cannot be started answers with the reason instead of throwing', async () => {
    const result = await startTool('/nonexistent/kvmnet-tool', 'kvmnet-tool', [], LIMITS).feed('x');
    expect(result).toMatchObject({ exitCode: -1, stdout: '' });
    expect(result.stderr).toMatch(/ENOENT/);
  });

  it('a tool that exits without reading its input does not break the caller', async () => {
    const tool = node('process.exit(0)');
    await new Promise((r) => setTimeout(r, 300));
    expect(await tool.feed('x'.repeat(1024 * 1024))).toMatchObject({ exitCode: 0 });
  });
});
