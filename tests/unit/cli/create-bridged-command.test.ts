import { describe, expect, it } from 'vitest';
import { runCreateBridged } from '../../../main/cli/commands/create-bridged';
import { CliExit } from '../../../main/cli/cli-exit';
import type { BridgedEngine } from '../../../main/engine/bridged/bridged-engine';
import type { Plan } from '../../../main/helper/protocol';
import { laptopSnapshot } from '../core/network/host-fixture';

/** the laptop of the core fixtures: its LAN is Wi-Fi (wlan0) */
function wifiLaptop(): BridgedEngine & { plans: Plan[]; reads: string[] } {
  const plans: Plan[] = [];
  const reads: string[] = [];
  return {
    plans,
    reads,
    run: async (plan) => {
      plans.push(plan);
      return { status: 'done', applied: plan.steps.length };
    },
    read: async (file, args) => {
      reads.push([file, ...args].join(' '));
      return '';
    },
    readSnapshot: async () => laptopSnapshot(),
    readResolvConf: async () => 'nameserver 10.0.5.1\n',
    readNetworkdLink: async () => ({ managed: false, dns: [] }),
    readText: async () => undefined,
    now: () => Date.parse('2026-01-02T10:00:00Z'),
  };
}

async function run(engine: BridgedEngine, uplink: string) {
  let stderr = '';
  const io = { stdout: { write: () => true }, stderr: { write: (s: string) => (stderr += s) }, interrupted: () => new Promise<void>(() => undefined) };
  const code = await runCreateBridged(io, 'lan', { uplink }, engine).then(() => 0, (e: unknown) => (e instanceof CliExit ? e.code : -1));
  return { code, stderr };
}

describe('kvmnet create bridged on a Wi-Fi uplink', () => {
  it('refuses with exit 2, says why, offers NAT and routed with proxy ARP, and runs nothing', async () => {
    const engine = wifiLaptop();
    const { code, stderr } = await run(engine, 'wlan0');
    expect(code).toBe(2);
    expect(stderr).toContain('wlan0 is a Wi-Fi link: an 802.11 station can only send frames from its own MAC address');
    expect(stderr).toContain('NAT (the default)');
    expect(stderr).toContain('kvmnet create nat lan');
    expect(stderr).toContain('routed with proxy ARP: guests get addresses from the LAN');
    expect(stderr).toContain('nothing was changed');
    expect(engine.plans).toEqual([]);
    // refused before NetworkManager or the kernel was even asked
    expect(engine.reads).toEqual([]);
  });

  it('refuses a bridge as uplink too, pointing at the bridge itself', async () => {
    const engine = wifiLaptop();
    const { code, stderr } = await run(engine, 'virbr0');
    expect(code).toBe(2);
    expect(stderr).toContain('virbr0 is already a bridge: attach guests to it directly');
    expect(engine.plans).toEqual([]);
  });
});

describe('kvmnet create bridged on a NIC systemd-networkd manages', () => {
  it('refuses with exit 2 and prints the networkd files that would make the bridge', async () => {
    const engine = {
      ...wifiLaptop(),
      readSnapshot: async () => {
        const snapshot = laptopSnapshot();
        return { ...snapshot, links: snapshot.links.map((l) => (l.name === 'eth0' ? { ...l, mac: '02:00:00:00:00:10' } : l)) };
      },
      readNetworkdLink: async () => ({ managed: true, networkFile: '/etc/systemd/network/20-wired.network', dns: [] }),
      readText: async () => '[Match]\nName=eth0\n\n[Network]\nDHCP=yes\n',
      read: async (file: string) => {
        if (file === 'nmcli') throw Object.assign(new Error('nmcli'), { code: 'ENOENT' });
        return '';
      },
    };
    const { code, stderr } = await run(engine, 'eth0');
    expect(code).toBe(2);
    expect(stderr).toContain('systemd-networkd manages eth0 (/etc/systemd/network/20-wired.network)');
    expect(stderr).toContain('--- 10-kvmnet-br-lan.netdev');
    expect(stderr).toContain('[Match]\nName=br-lan\n\n[Network]\nDHCP=yes');
    expect(engine.plans).toEqual([]);
  });
});
