import type { BridgedStep } from './bridged-steps';
import type { Step } from '../../helper/protocol';
import { bridgedRecordPath, nmCheckpointPath, pendingOutcomePath, pendingPath, SYSTEMD_NETWORK_DIRS } from '../paths';
import { networkdFileNames } from './networkd-files';
import { shellCommand } from '../shell-quote';

type BridgedOrPending = Extract<Step, BridgedStep | { op: 'pending.arm' | 'pending.claim' | 'pending.outcome' }>;

/** What a bridge-to-LAN step does, in the words of progress lines. */
export function describeBridgedStep(step: BridgedOrPending): string {
  switch (step.op) {
    case 'nm.checkpoint.create': return `take a NetworkManager checkpoint of ${step.devices.join(', ')} (rolled back by NetworkManager after ${step.timeoutSeconds} s)`;
    case 'nm.checkpoint.rollback': return `roll NetworkManager back to the checkpoint of network ${step.network}`;
    case 'nm.checkpoint.destroy': return `commit: end the NetworkManager checkpoint of network ${step.network}`;
    case 'nm.connection.add': return `add NetworkManager profile ${step.id} (${step.type} ${step.ifname})`;
    case 'nm.connection.up': return `activate NetworkManager profile ${step.uuid} (${step.device})`;
    case 'nm.connection.down': return `deactivate NetworkManager profile ${step.uuid} (${step.device})`;
    case 'nm.connection.delete': return `delete NetworkManager profile ${step.uuid}`;
    case 'uplink.bridge': return `move the MAC, addresses and routes of ${step.uplink} to a new bridge ${step.bridge}, with ${step.uplink} as its port`;
    case 'uplink.unbridge': return `move the addresses and routes of ${step.bridge} back to ${step.uplink} and remove ${step.bridge}`;
    case 'networkd.bridge': return `write KVMNet's systemd-networkd files for bridge ${step.bridge} (port ${step.uplink}, the addressing of ${step.uplink}'s own .network) and reload networkd`;
    case 'networkd.unbridge': return `remove KVMNet's systemd-networkd files for bridge ${step.bridge}, reload networkd and remove ${step.bridge}; ${step.uplink}'s own .network takes over again`;
    case 'bridged.record': return step.record ? `write ${bridgedRecordPath(step.network, step.persistent)}` : `remove ${bridgedRecordPath(step.network, step.persistent)}`;
    case 'pending.arm': return `wait for confirmation until ${step.pending.deadline}, else roll back`;
    case 'pending.claim': return `take the change of network ${step.network} that waits for confirmation`;
    case 'pending.outcome': return `note that the change of network ${step.network} was ${step.outcome}`;
  }
}

/**
 * The commands a person would type for a bridge-to-LAN step. Checkpoints have no nmcli
 * equivalent: they are shown as the D-Bus calls, as busctl would make them.
 */
export function bridgedStepCommands(step: BridgedOrPending): string[] {
  const nm = ['org.freedesktop.NetworkManager', '/org/freedesktop/NetworkManager', 'org.freedesktop.NetworkManager'];
  switch (step.op) {
    case 'nm.checkpoint.create':
      return [`${shellCommand('busctl', 'call', ...nm, 'CheckpointCreate', 'aouu', String(step.devices.length), ...step.devices.map((d) => `<device path of ${d}>`), String(step.timeoutSeconds), '2')} > ${nmCheckpointPath(step.network)}`];
    case 'nm.checkpoint.rollback':
      return [`${shellCommand('busctl', 'call', ...nm, 'CheckpointRollback', 'o')} "$(cat ${nmCheckpointPath(step.network)})"`];
    case 'nm.checkpoint.destroy':
      return [`${shellCommand('busctl', 'call', ...nm, 'CheckpointDestroy', 'o')} "$(cat ${nmCheckpointPath(step.network)})"`];
    case 'nm.connection.add':
      return [shellCommand('nmcli', 'connection', 'add', 'type', step.type, 'con-name', step.id, 'ifname', step.ifname, 'connection.uuid', step.uuid, ...step.settings.flat())];
    case 'nm.connection.up': return [shellCommand('nmcli', 'connection', 'up', 'uuid', step.uuid, 'ifname', step.device)];
    case 'nm.connection.down': return [shellCommand('nmcli', 'connection', 'down', 'uuid', step.uuid)];
    case 'nm.connection.delete': return [shellCommand('nmcli', 'connection', 'delete', 'uuid', step.uuid)];
    case 'uplink.bridge':
      return [
        `# ip link add ${step.bridge} with the MAC of ${step.uplink}, type bridge forward_delay 0 stp_state 0, alias kvmnet:${step.network}`,
        shellCommand('ip', 'link', 'set', 'dev', step.uplink, 'master', step.bridge),
        `# then every global address and route of ${step.uplink} is deleted there and added on ${step.bridge}`,
      ];
    case 'uplink.unbridge':
      return [`# every global address and route of ${step.bridge} is added back on ${step.uplink}`, shellCommand('ip', 'link', 'delete', 'dev', step.bridge)];
    case 'networkd.bridge':
      return [
        ...networkdFileNames(step.bridge, step.uplink).map((name) => `# write ${SYSTEMD_NETWORK_DIRS.persistent}/${name}`),
        shellCommand('networkctl', 'reload'), shellCommand('networkctl', 'reconfigure', step.uplink),
      ];
    case 'networkd.unbridge':
      return [
        shellCommand('rm', '-f', ...networkdFileNames(step.bridge, step.uplink).map((name) => `${SYSTEMD_NETWORK_DIRS.persistent}/${name}`)),
        shellCommand('networkctl', 'reload'), shellCommand('ip', 'link', 'delete', 'dev', step.bridge), shellCommand('networkctl', 'reconfigure', step.uplink),
      ];
    case 'bridged.record':
      return step.record ? [`# write ${bridgedRecordPath(step.network, step.persistent)}`] : [shellCommand('rm', '-f', bridgedRecordPath(step.network, step.persistent))];
    case 'pending.arm': return [`# write ${pendingPath(step.pending.network)} and start the timer that rolls back at ${step.pending.deadline}`];
    case 'pending.claim': return [shellCommand('rm', '-f', pendingPath(step.network))];
    case 'pending.outcome': return [`# write ${pendingOutcomePath(step.network)}: ${step.outcome}`];
  }
}
