import { describe, expect, it } from 'vitest';
import { checkBridgeWirelessUplink } from '../../../../../main/core/doctor/checks/bridge-wireless-uplink';
import { healthyFacts, link } from '../doctor-facts-fixture';

describe('bridge-wireless-uplink', () => {
  it('is ok when no bridge has a Wi-Fi port', () => {
    const facts = healthyFacts();
    facts.snapshot.links.push(link('wlan0', 'wireless', [['10.0.5.7', 24]]));
    expect(checkBridgeWirelessUplink(facts).status).toBe('ok');
  });

  it('fails when Wi-Fi is a bridge port, and the fix takes it off (not safe: the host’s connection moves)', () => {
    const facts = healthyFacts();
    facts.snapshot.links.push(link('br0', 'bridge', [['10.0.5.7', 24]]), link('wlp3s0', 'wireless', [], { master: 'br0' }));
    expect(checkBridgeWirelessUplink(facts)).toMatchObject({
      status: 'fail',
      summary: 'The bridge br0 has the Wi-Fi interface wlp3s0 as a port',
      fix: { commands: ['ip link set dev wlp3s0 nomaster'], safe: false, undo: 'Put it back on the bridge: ip link set dev wlp3s0 master br0' },
    });
  });
});
