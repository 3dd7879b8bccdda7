import { execa } from 'execa';
import { spawn } from 'node:child_process';
import { observeHost } from '../main/host/observe';
import { HOST_COMMAND_ENV } from '../main/host/host-command';

/**
 * Runs inside the bench lab (bench/observe-and-helper.ts starts it) and times, contenders
 * alternating in one process:
 * - observe: KVMNet's full snapshot (observeHost) against the raw `ip -j` calls it makes, run the
 *   same way (side by side) with their output read and nothing else;
 * - helper cold start: spawning the helper until its answer to a ping, against a bare Node that
 *   answers one line (what any Node program pays).
 * Prints one JSON object: the samples in ms.
 */
const [iterations, helperPath] = [Number(process.argv[2] ?? 15), process.argv[3]];

const RAW_CALLS = [['-j', '-d', '-s', 'addr', 'show'], ['-4', '-j', 'route', 'show'], ['-6', '-j', 'route', 'show']];

async function rawIp(): Promise<void> {
  await Promise.all(RAW_CALLS.map((args) => execa('ip', args, { env: HOST_COMMAND_ENV, extendEnv: false, stdin: 'ignore' })));
}

/** spawn → first line on stdout after writing `request` */
function firstAnswer(args: readonly string[], request: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...args], { stdio: ['pipe', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) {
        const ms = performance.now() - started;
        child.stdin.end();
        resolve(ms);
      }
    });
    child.once('error', reject);
    child.stdin.write(`${request}\n`);
  });
}

const BARE_NODE = ['-e', "process.stdin.once('data', () => { process.stdout.write('{}\\n'); process.exit(0); })"];

const time = async (work: () => Promise<unknown>): Promise<number> => {
  const started = performance.now();
  await work();
  return performance.now() - started;
};

async function main(): Promise<void> {
  const samples = { observe: [] as number[], rawIp: [] as number[], links: 0, helperStart: [] as number[], bareNode: [] as number[] };
  samples.links = (await observeHost()).links.length;
  for (let i = 0; i < 2 + iterations; i++) {
    const observe = await time(observeHost);
    const raw = await time(rawIp);
    const helper = helperPath ? await firstAnswer([helperPath], JSON.stringify({ id: 'cold', method: 'ping' })) : 0;
    const bare = await firstAnswer(BARE_NODE, '{}');
    if (i < 2) continue;
    samples.observe.push(observe);
    samples.rawIp.push(raw);
    samples.helperStart.push(helper);
    samples.bareNode.push(bare);
  }
  process.stdout.write(`${JSON.stringify(samples)}\n`);
}

// bundled as CommonJS (as the app's node programs are): no top-level await
main().catch((e: unknown) => {
  process.stderr.write(`observe agent: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
