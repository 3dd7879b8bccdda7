import type { DoctorFacts } from '../../core/doctor/doctor-facts';
import { parseNmcliDevices } from './parse-nmcli-devices';
import { failureText, runTool, type ToolResult } from './run-tool';

const TIMEOUT_MS = 5000;
/** nmcli exits 8 when NetworkManager is not running, and fails to create its client when there is no D-Bus answer */
const NOT_RUNNING = /not running|Could not create NMClient/;

const notRunning = (r: Extract<ToolResult, { ok: false }>): string =>
  r.exitCode === 8 || NOT_RUNNING.test(r.stderr) ? 'NetworkManager is not running' : `nmcli failed: ${failureText(r, 'nmcli')}`;

/** NetworkManager's view of each device; absent or stopped NetworkManager is a fact, not an error */
export async function readNetworkManager(): Promise<DoctorFacts['networkManager']> {
  const r = await runTool('nmcli', ['-t', '-f', 'DEVICE,STATE,CONNECTION', 'device'], TIMEOUT_MS);
  if (!r.ok) return { available: false, reason: r.missing ? 'NetworkManager is not installed' : notRunning(r) };
  return { available: true, devices: parseNmcliDevices(r.stdout) };
}
