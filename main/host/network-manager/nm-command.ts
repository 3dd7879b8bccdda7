import { readCommand } from '../host-command';

/**
 * How the NetworkManager readers run nmcli and busctl. On the host that is readCommand; tests pass a
 * runner that executes the same argv inside a lab. Failures keep execa's fields (exit code, stderr,
 * errno) so explainNmFailure can tell the causes apart.
 */
export type RunCommand = (file: string, args: readonly string[]) => Promise<string>;

/** nmcli and busctl answer in milliseconds; a hung NetworkManager must not stall the wizard */
const NM_COMMAND_TIMEOUT_MS = 5000;

export const runOnHost: RunCommand = (file, args) => readCommand(file, args, NM_COMMAND_TIMEOUT_MS);

export interface NmCommandFailure {
  /** errno of the spawn (ENOENT when the tool is not installed) */
  code?: string;
  exitCode?: number;
  timedOut?: boolean;
  stderr?: string;
}

/** nmcli's documented exit code for "NetworkManager is not running" */
const NMCLI_EXIT_NOT_RUNNING = 8;

/** Turns a failed nmcli or busctl run into plain words and, where there is one, the fix. */
export function explainNmFailure(tool: 'nmcli' | 'busctl', failure: NmCommandFailure): string {
  if (failure.code === 'ENOENT') {
    return tool === 'nmcli' ? 'nmcli is not installed (package network-manager)' : 'busctl is not installed (package systemd)';
  }
  if (failure.timedOut) return 'NetworkManager did not answer in time';
  const stderr = failure.stderr ?? '';
  if ((tool === 'nmcli' && failure.exitCode === NMCLI_EXIT_NOT_RUNNING) || /was not provided by any \.service files/.test(stderr)) {
    return 'NetworkManager is not running';
  }
  if (/Could not create NMClient object|Failed to connect to bus/.test(stderr)) return 'the system D-Bus is not running, so NetworkManager cannot be reached';
  const last = stderr.split('\n').map((l) => l.replace(/^(Error|Call failed):\s*/, '').trim()).filter(Boolean).at(-1);
  return last ? `NetworkManager refused: ${last}` : `${tool} failed`;
}
