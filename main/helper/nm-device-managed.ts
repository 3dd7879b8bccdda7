import type { HostIo } from './host-io';

/**
 * Whether NetworkManager manages a link, and telling it to. The helper asks nmcli for one device by
 * name with an argument array; it never touches connection profiles, only the runtime flag that
 * `nmcli device set <link> managed no|yes` flips (NetworkManager forgets it when it restarts).
 */

/** nmcli's GENERAL.STATE, e.g. "10 (unmanaged)" or "100 (connected (externally))" */
const UNMANAGED_STATE = /^10\b/;

/** true or false, or undefined when NetworkManager does not know the device (or does not run) */
export async function nmManagesDevice(io: HostIo, device: string): Promise<boolean | undefined> {
  const r = await io.runTool('nmcli', ['-g', 'GENERAL.STATE', 'device', 'show', device]);
  if (r.exitCode !== 0) return undefined;
  return !UNMANAGED_STATE.test(r.stdout.trim());
}

export async function setNmManaged(io: HostIo, device: string, managed: boolean): Promise<void> {
  const r = await io.runTool('nmcli', ['device', 'set', device, 'managed', managed ? 'yes' : 'no']);
  if (r.exitCode !== 0) throw new Error(`NetworkManager refused to ${managed ? 'manage' : 'let go of'} ${device}: ${r.stderr.trim() || `nmcli exited with ${r.exitCode}`}`);
}
