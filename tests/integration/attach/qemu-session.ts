import type { Lab } from '../../lab/lab';

/**
 * A real QEMU inside a lab, paused before the guest runs (-S) with no firmware work to do, driven
 * over QMP on stdio: enough to see that QEMU accepts KVMNet's flags and what it made of them. A
 * session lasts well under a second; the lab ends QEMU at the latest.
 */
export interface QemuSession {
  /** QEMU's human monitor answer, e.g. for "info network" */
  monitor(command: string): Promise<string>;
  /** ends QEMU through QMP and waits for it; returns its stderr */
  quit(): Promise<string>;
}

export const QEMU = 'qemu-system-x86_64';
const BASE_ARGS = ['-M', 'pc', '-accel', 'tcg', '-nodefaults', '-display', 'none', '-S', '-qmp', 'stdio'];

type QmpMessage = { return?: unknown; error?: { desc: string }; QMP?: unknown; event?: string };

export async function startQemu(lab: Lab, args: readonly string[]): Promise<QemuSession> {
  const child = lab.spawn(QEMU, [...BASE_ARGS, ...args], { stdin: 'pipe', buffer: false, reject: false });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });

  const replies: QmpMessage[] = [];
  const waiting: ((m: QmpMessage) => void)[] = [];
  let pending = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
      const message = JSON.parse(pending.slice(0, nl)) as QmpMessage;
      pending = pending.slice(nl + 1);
      if (message.event !== undefined || message.QMP !== undefined) continue;
      const next = waiting.shift();
      if (next) next(message);
      else replies.push(message);
    }
  });
  const exited = child.then(() => { throw new Error(`QEMU exited: ${stderr.trim()}`); });
  const reply = () => Promise.race([exited, new Promise<QmpMessage>((resolve) => {
    const ready = replies.shift();
    if (ready) resolve(ready);
    else waiting.push(resolve);
  })]);
  const execute = async (command: string, args?: Record<string, unknown>) => {
    child.stdin?.write(`${JSON.stringify({ execute: command, ...(args && { arguments: args }) })}\n`);
    const message = await reply();
    if (message.error) throw new Error(`QMP ${command}: ${message.error.desc}`);
    return message.return;
  };

  await execute('qmp_capabilities');
  return {
    monitor: async (command) => String(await execute('human-monitor-command', { 'command-line': command })),
    async quit() {
      exited.catch(() => undefined);
      child.stdin?.write(`${JSON.stringify({ execute: 'quit' })}\n`);
      child.stdin?.end();
      await child;
      return stderr;
    },
  };
}

/** QEMU's whole run for flags it refuses: its exit code and what it said */
export async function runQemuToEnd(lab: Lab, args: readonly string[]): Promise<{ exitCode: number; stderr: string }> {
  const result = await lab.run(QEMU, [...BASE_ARGS, ...args], { input: `${JSON.stringify({ execute: 'qmp_capabilities' })}\n${JSON.stringify({ execute: 'quit' })}\n` });
  return { exitCode: result.exitCode, stderr: result.stderr };
}
