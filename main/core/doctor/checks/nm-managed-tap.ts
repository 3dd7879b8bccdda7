import type { Check, CheckStatus } from '../doctor-report';
import type { DoctorFacts, NmDevice } from '../doctor-facts';
import { shellCommand } from '../../shell-quote';
import { vmNetworks } from '../vm-networks';

/** NM made up a connection for a link someone else configured; it watches it but does not change it */
const EXTERNALLY = 'connected (externally)';

/** KVMNet's links: everything carrying its alias, and the bridges of its networks with their ports */
function kvmnetLinks(facts: DoctorFacts): Set<string> {
  const names = new Set(facts.snapshot.links.filter((l) => l.owner !== undefined).map((l) => l.name));
  const bridges = new Set(vmNetworks(facts).filter((n) => n.managedByKvmnet && n.bridge !== undefined).map((n) => n.bridge!));
  for (const l of facts.snapshot.links) if (bridges.has(l.name) || (l.master !== undefined && bridges.has(l.master))) names.add(l.name);
  return names;
}

/** KVMNet's links NetworkManager does not treat as unmanaged */
export function nmManagedKvmnetLinks(facts: DoctorFacts): NmDevice[] {
  const nm = facts.networkManager;
  if (!nm.available) return [];
  const ours = kvmnetLinks(facts);
  return nm.devices.filter((d) => ours.has(d.device) && d.state !== 'unmanaged');
}

export function checkNmManagedTap(facts: DoctorFacts): Check {
  const nm = facts.networkManager;
  if (!nm.available) {
    return { id: 'nm-managed-tap', status: 'ok', summary: 'NetworkManager is not running', detail: `Nothing else configures KVMNet's bridges and taps (${nm.reason}).` };
  }
  const ours = kvmnetLinks(facts);
  const managed = nmManagedKvmnetLinks(facts);
  if (managed.length === 0) {
    return { id: 'nm-managed-tap', status: 'ok', summary: 'NetworkManager leaves KVMNet’s links alone', detail: `NetworkManager runs and treats all ${ours.size} of KVMNet's bridges and taps as unmanaged.` };
  }
  // a profile of NetworkManager's own holds the link; without one (external, or disconnected) it only watches
  const active = managed.filter((d) => d.state !== EXTERNALLY && d.connection !== '');
  const status: CheckStatus = active.length > 0 ? 'fail' : 'warn';
  const shown = active[0] ?? managed[0]!;
  const devices = managed.map((d) => d.device);
  return {
    id: 'nm-managed-tap',
    status,
    summary: `NetworkManager manages ${devices.join(', ')}`,
    detail:
      status === 'fail'
        ? `NetworkManager holds ${shown.device} (${shown.state}${shown.connection ? `, connection "${shown.connection}"` : ''}) and may run DHCP on it, change its addresses or take it down, cutting the VMs off.`
        : `NetworkManager watches ${managed.map((d) => `${d.device} (${d.state})`).join(', ')}; it does not change them now, but may take them over when a connection profile matches.`,
    fix: {
      description:
        `Tell NetworkManager to leave ${devices.join(', ')} alone (until it restarts).` +
        (active.length > 0 ? ` Where it had activated a profile, it takes the link down as it lets go: restart the network afterwards, and delete the profile to keep NetworkManager off it.` : ''),
      commands: devices.map((d) => shellCommand('nmcli', 'device', 'set', d, 'managed', 'no')),
      // letting go of a link it had activated takes the link down, which cuts the VMs off until the network restarts
      safe: active.length === 0,
      undo: `Hand ${devices.length === 1 ? 'it' : 'them'} back: ${devices.map((d) => shellCommand('nmcli', 'device', 'set', d, 'managed', 'yes')).join(' ; ')}`,
    },
  };
}
