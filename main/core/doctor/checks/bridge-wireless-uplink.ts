import type { Check } from '../doctor-report';
import type { DoctorFacts } from '../doctor-facts';
import { shellCommand } from '../../shell-quote';

export function checkBridgeWirelessUplink(facts: DoctorFacts): Check {
  const links = facts.snapshot.links;
  const bridged = links.filter((l) => l.kind === 'wireless' && l.master !== undefined && links.some((b) => b.name === l.master && b.kind === 'bridge'));
  const first = bridged[0];
  if (first === undefined) {
    return { id: 'bridge-wireless-uplink', status: 'ok', summary: 'No bridge uses a Wi-Fi interface', detail: 'Wi-Fi cannot carry bridged VM traffic, and no bridge tries to.' };
  }
  const pairs = bridged.map((l) => ({ wifi: l.name, bridge: l.master! }));
  return {
    id: 'bridge-wireless-uplink',
    status: 'fail',
    summary: `The bridge ${first.master} has the Wi-Fi interface ${first.name} as a port`,
    detail:
      'A Wi-Fi access point only accepts frames from the one MAC address that joined it, so VMs on this bridge get no traffic and the host may lose its own connection. ' +
      'Use a NAT or routed network over Wi-Fi instead.',
    fix: {
      description: `Take ${pairs.map((p) => p.wifi).join(', ')} off the bridge; the host's Wi-Fi connection may need reconnecting afterwards.`,
      commands: pairs.map((p) => shellCommand('ip', 'link', 'set', 'dev', p.wifi, 'nomaster')),
      safe: false,
      undo: `Put it back on the bridge: ${pairs.map((p) => shellCommand('ip', 'link', 'set', 'dev', p.wifi, 'master', p.bridge)).join(' ; ')}`,
    },
  };
}
