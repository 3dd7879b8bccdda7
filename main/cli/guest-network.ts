import type { KvmnetNetwork } from '../core/plan/plan-context';
import { networkName } from '../core/plan/plan-context';
import type { CliIo } from './cli-io';
import { refuseInput } from './bad-input';

/** whether the network runs now: a guest can only be plugged into a bridge that exists */
export const isRunning = (network: KvmnetNetwork): boolean => (network.backend === 'direct' ? network.active : network.network.active);

/** the network's bridge, as its record or libvirt's definition names it */
export const bridgeOf = (network: KvmnetNetwork): string | undefined =>
  network.backend === 'direct' ? network.record.spec.bridge : network.network.bridge;

/** exit 2 unless the network runs, saying how to start it */
export function requireRunning(io: CliIo, network: KvmnetNetwork, json: boolean): void {
  const name = networkName(network);
  if (!isRunning(network)) refuseInput(io, [{ field: 'network', message: `network "${name}" is not running, so a guest cannot join its bridge; start it first: kvmnet start ${name}` }], json);
}
