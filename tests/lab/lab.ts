import { execa, type Options, type ResultPromise } from 'execa';
import { existsSync } from 'node:fs';
import { childPids } from './process-tree';

/**
 * A throw-away host for tests: private network, mount and PID namespaces with a fresh sysfs and
 * copy-on-write /etc, /var/lib, /var/log, /var/cache and /run, so nothing a test does reaches the machine's own network
 * or files. Ending the lab's first process makes the kernel end everything started inside it.
 */
export interface Lab {
  /** host PID of the lab's init; `nsenter -t pid` joins the lab */
  readonly pid: number;
  /** run a command inside the lab and wait for it (never rejects on a non-zero exit) */
  run(file: string, args?: readonly string[], options?: Options): Promise<{ stdout: string; stderr: string; exitCode: number }>;
  /** like run, but throws with stderr when the command fails */
  sh(file: string, args?: readonly string[], options?: Options): Promise<string>;
  /** start a long-running process inside the lab; it dies with the lab at the latest */
  spawn(file: string, args?: readonly string[], options?: Options): ResultPromise;
  /** the argv prefix that enters the lab, for tools that must launch processes themselves */
  readonly enter: readonly string[];
  close(): Promise<void>;
}

/** Why the lab cannot run here, or undefined when it can. Tests print this when they skip. */
export function labUnavailableReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'the lab needs root (CAP_SYS_ADMIN for unshare and CAP_NET_ADMIN): run the suite with sudo';
  return undefined;
}

const LAB_INIT = `
set -e
mount -t sysfs sysfs /sys
mount -t tmpfs -o mode=0755 kvmnet-lab /mnt
for d in etc var/lib var/log var/cache run; do
  n=$(echo "$d" | tr / -)
  mkdir -p "/mnt/$n/upper" "/mnt/$n/work"
  mount -t overlay overlay -o "lowerdir=/$d,upperdir=/mnt/$n/upper,workdir=/mnt/$n/work" "/$d"
done
ip link set lo up
echo READY
# PID 1 of the lab must reap orphans (libvirtd waits on the QEMU probes it forks); with SIGCHLD
# ignored the kernel reaps them. perl-base is essential on Debian; sh cannot ignore SIGCHLD.
exec perl -e '$SIG{CHLD} = "IGNORE"; sleep while 1'
`;

async function childPid(unsharePid: number): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const [pid] = await childPids(unsharePid);
    if (pid !== undefined) return pid;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('lab init did not start');
}

export async function startLab(): Promise<Lab> {
  const reason = labUnavailableReason();
  if (reason) throw new Error(reason);
  // --pdeathsig: a test worker that dies takes its lab with it; --kill-child: so does unshare
  const unshare = execa('setpriv', ['--pdeathsig', 'KILL', 'unshare', '--net', '--mount', '--pid', '--fork', '--mount-proc', '--kill-child', 'sh', '-c', LAB_INIT], {
    stdin: 'ignore',
    reject: false,
    buffer: false,
  });
  const ready = new Promise<void>((resolve, reject) => {
    let seen = '';
    unshare.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes('READY')) resolve();
    });
    unshare.stderr?.on('data', (chunk: Buffer) => { seen += chunk.toString(); });
    void unshare.then((r) => reject(new Error(`lab init exited (${r.exitCode}): ${seen}`)));
  });
  await ready;
  const pid = await childPid(unshare.pid!);
  const enter = ['nsenter', `--target=${pid}`, '--net', '--mount', '--pid', '--'] as const;

  const run: Lab['run'] = async (file, args = [], options = {}) => {
    const r = await execa(enter[0], [...enter.slice(1), file, ...args], { reject: false, ...options });
    return { stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), exitCode: r.exitCode ?? -1 };
  };
  return {
    pid,
    enter,
    run,
    async sh(file, args = [], options = {}) {
      const r = await run(file, args, options);
      if (r.exitCode !== 0) throw new Error(`${file} ${args.join(' ')} failed (${r.exitCode}): ${r.stderr.trim()}`);
      return r.stdout;
    },
    spawn: (file, args = [], options = {}) => execa(enter[0], [...enter.slice(1), file, ...args], options),
    async close() {
      unshare.kill('SIGKILL');
      await unshare;
      // the kernel ends the lab's processes as its init dies; wait until they are really gone
      for (let i = 0; i < 500 && existsSync(`/proc/${pid}`); i++) await new Promise((r) => setTimeout(r, 10));
    },
  };
}
