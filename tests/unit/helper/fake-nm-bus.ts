import type { ToolCall } from './fake-host-io';
import type { ToolResult } from '../../../main/helper/host-io';

const CHECKPOINT = '/org/freedesktop/NetworkManager/Checkpoint/';
const DEVICE = '/org/freedesktop/NetworkManager/Devices/';

/**
 * NetworkManager's checkpoint calls as busctl --json=short answers them (tests/fixtures/nm/busctl-*.json),
 * over a mutable picture: device N is `devices[N]`, and each checkpoint N covers the devices listed.
 */
export class FakeNmBus {
  readonly rolledBack: string[] = [];
  constructor(readonly devices: readonly string[], readonly checkpoints: Map<number, readonly string[]>) {}

  static checkpoint = (n: number): string => `${CHECKPOINT}${n}`;

  answer = ({ tool, args }: ToolCall): Partial<ToolResult> => {
    if (tool !== 'busctl') return {};
    const line = (type: string, data: unknown) => ({ stdout: `${JSON.stringify({ type, data })}\n` });
    const [verb, , object, , method] = args.slice(2);
    if (verb === 'get-property' && object === '/org/freedesktop/NetworkManager') {
      return { stdout: `${JSON.stringify({ type: 's', data: '1.42.4' })}\n${JSON.stringify({ type: 'ao', data: [...this.checkpoints.keys()].map(FakeNmBus.checkpoint) })}\n` };
    }
    if (verb === 'get-property' && object?.startsWith(CHECKPOINT)) {
      const covered = this.checkpoints.get(Number(object.slice(CHECKPOINT.length)));
      if (!covered) return { exitCode: 1, stderr: 'Unknown object' };
      return line('ao', covered.map((d) => `${DEVICE}${this.devices.indexOf(d)}`));
    }
    if (method === 'GetDeviceByIpIface') {
      const index = this.devices.indexOf(args.at(-1)!);
      return index < 0 ? { exitCode: 1, stderr: 'No device found for the requested iface.' } : line('o', [`${DEVICE}${index}`]);
    }
    if (method === 'CheckpointRollback') {
      const path = args.at(-1)!;
      const covered = this.checkpoints.get(Number(path.slice(CHECKPOINT.length)));
      if (!covered) return { exitCode: 1, stderr: 'checkpoint does not exist' };
      this.checkpoints.delete(Number(path.slice(CHECKPOINT.length)));
      this.rolledBack.push(path);
      return line('a{su}', [Object.fromEntries(covered.map((d) => [`${DEVICE}${this.devices.indexOf(d)}`, 0]))]);
    }
    return {};
  };
}
