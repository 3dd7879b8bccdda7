import { z } from 'zod';
import { explainNmFailure, runOnHost, type NmCommandFailure, type RunCommand } from './nm-command';
import { splitTerseFields } from './terse-output';

export const NmDevice = z.object({
  device: z.string().min(1),
  /** ethernet, wifi, bridge, loopback … */
  type: z.string(),
  /** as nmcli words it: connected, disconnected, unavailable, unmanaged, "connected (externally)" … */
  state: z.string(),
  /** the id of the active profile */
  connection: z.string().optional(),
});
export type NmDevice = z.infer<typeof NmDevice>;

export type NetworkManagerState =
  | { readonly running: true; readonly devices: readonly NmDevice[] }
  | { readonly running: false; readonly reason: string };

export const DEVICE_LIST_ARGS = ['-t', '-e', 'yes', '-f', 'DEVICE,TYPE,STATE,CONNECTION', 'device'] as const;

export function parseDeviceList(text: string): NmDevice[] {
  return text.split('\n').filter(Boolean).map((line) => {
    const [device, type, state, connection] = splitTerseFields(line);
    return NmDevice.parse({ device, type, state, connection: connection || undefined });
  });
}

/** Whether NetworkManager runs, and the devices it knows; never throws: "not running" is a state. */
export async function readNetworkManager(run: RunCommand = runOnHost): Promise<NetworkManagerState> {
  try {
    return { running: true, devices: parseDeviceList(await run('nmcli', DEVICE_LIST_ARGS)) };
  } catch (e) {
    return { running: false, reason: explainNmFailure('nmcli', e as NmCommandFailure) };
  }
}

/** The device when NetworkManager manages it (anything but "unmanaged"), else undefined. */
export function managedDevice(state: NetworkManagerState, name: string): NmDevice | undefined {
  if (!state.running) return undefined;
  return state.devices.find((d) => d.device === name && d.state !== 'unmanaged');
}
