/** What a failed `virsh` run left behind: execa's error fields that tell the causes apart. */
export interface VirshFailure {
  /** errno of the spawn (ENOENT when virsh is not installed) */
  code?: string;
  timedOut?: boolean;
  stderr?: string;
}

/** Turns a failed first contact with libvirtd into plain words and, where there is one, the fix. */
export function explainVirshFailure(failure: VirshFailure, timeoutMs: number): string {
  if (failure.code === 'ENOENT') return 'virsh is not installed (package libvirt-clients on Debian/Ubuntu, libvirt-client on Fedora)';
  if (failure.timedOut) return `libvirtd did not answer within ${timeoutMs / 1000} s`;
  const stderr = failure.stderr ?? '';
  const socket = /Failed to connect socket to '([^']+)': No such file or directory/.exec(stderr);
  if (socket) return `libvirtd is not running (no socket at ${socket[1]})`;
  if (/Connection refused/i.test(stderr)) return 'libvirtd is not running (connection refused)';
  if (/Permission denied|authentication (failed|unavailable)/i.test(stderr)) {
    return 'not allowed to talk to libvirtd: add your user to the libvirt group and log in again';
  }
  const lastError = stderr.split('\n').map((l) => l.replace(/^error:\s*/, '').trim()).filter(Boolean).at(-1);
  return lastError ? `libvirt did not answer: ${lastError}` : 'libvirt did not answer';
}
