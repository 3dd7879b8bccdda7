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
    expect(stderr).toContain('kvmnet create routed lan --uplink wlan0 --proxy-arp');
    expect(stderr).not.toContain('does not automate');
    expect(stderr).toContain('nothing was changed');
    expect(engine.plans).toEqual([]);
    // refused before NetworkManager or the kernel was even asked
    expect(engine.reads).toEqual([]);
  });

  it('refuses a bridge as uplink too, pointing at the bridge itself', async () => {
    const engine = wifiLaptop();
    const { code, stderr } = await run(engine, 'virbr0');
    expect(code).toBe(2);
    expect(stderr).toContain('--uplink: virbr0 is already a bridge: attach guests to it directly');
    expect(engine.plans).toEqual([]);
  });

  it('refuses a bridge of KVMNet\'s own and a port of it, naming --uplink, the network and what to pick instead', async () => {
    const engine = wifiLaptop();
    const bridge = await run(engine, 'kv-lab');
    expect(bridge.code).toBe(2);
    expect(bridge.stderr).toContain('kvmnet: --uplink: kv-lab is the bridge of KVMNet network lab: attach guests to it directly, or pick the wired NIC that connects this host to the LAN instead (kvmnet status lists them)');
    expect(bridge.stderr).toContain('nothing was changed');
    const port = await run(engine, 'vnet0');
    expect(port.code).toBe(2);
    expect(port.stderr).toContain('kvmnet: --uplink: vnet0 is already a port of kv-lab (the bridge of KVMNet network lab): attach guests to kv-lab');
    expect(engine.plans).toEqual([]);
    expect(engine.reads).toEqual([]);
  });
});

describe('kvmnet create bridged on a NIC systemd-networkd manages', () => {
  const networkdLaptop = () => ({
    ...wifiLaptop(),
    readSnapshot: async () => {
      const snapshot = laptopSnapshot();
      return { ...snapshot, links: snapshot.links.map((l) => (l.name === 'eth0' ? { ...l, mac: '02:00:00:00:00:10' } : l)) };
    },
    readNetworkdLink: async () => ({ managed: true, networkFile: '/etc/systemd/network/20-wired.network', dns: ['203.0.113.1'] }),
    read: async (file: string, args: readonly string[]) => {
      if (file === 'nmcli') throw Object.assign(new Error('nmcli'), { code: 'ENOENT' });
      if (args.includes('addr')) return JSON.stringify([{ ifname: 'eth0', address: '02:00:00:00:00:10', mtu: 1500, addr_info: [] }]);
      return '[]';
    },
  });

  it('plans it through networkd (dry run): KVMNet\'s own files, networkctl reload, no runtime warning; nothing runs', async () => {
    const engine = networkdLaptop();
    let stdout = '';
    let stderr = '';
    const io = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, interrupted: () => new Promise<void>(() => undefined) };
    await runCreateBridged(io, 'lan', { uplink: 'eth0', dryRun: true }, engine);
    expect(stdout).toContain('# write /etc/systemd/network/10-kvmnet-br-lan.netdev');
    expect(stdout).toContain('networkctl reload');
    expect(stdout).toContain('networkctl reconfigure eth0');
    expect(stderr).not.toContain('will NOT survive a reboot');
    expect(engine.plans).toEqual([]);
  });

  it('refuses a bridge name whose file would clash with the uplink\'s port file, with exit 2', async () => {
    const engine = networkdLaptop();
    let stderr = '';
    const io = { stdout: { write: () => true }, stderr: { write: (s: string) => (stderr += s) }, interrupted: () => new Promise<void>(() => undefined) };
    const code = await runCreateBridged(io, 'lan', { uplink: 'eth0', bridge: 'eth0-port', dryRun: true }, engine).then(() => 0, (e: unknown) => (e instanceof CliExit ? e.code : -1));
    expect(code).toBe(2);
    expect(stderr).toContain('would share its networkd file');
    expect(engine.plans).toEqual([]);
  });
});
