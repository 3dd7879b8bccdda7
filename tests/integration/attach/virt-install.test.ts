import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import type { HostSnapshot } from '../../../main/core/host-snapshot';
import { checkGuestMac, generateMac, usedMacs } from '../../../main/core/attach/mac';
import { NIC_MODELS } from '../../../main/core/attach/nic-model';
import { renderVirtInstallNetworkArgs, type VirtInstallNic } from '../../../main/core/attach/virt-install-args';
import { inCi, missingToolsReason } from './required-tools';

/**
 * The `--network` flags KVMNet renders, given to the real virt-install. `--print-xml` on libvirt's
 * test driver needs no daemon, creates nothing and prints the domain it would define; the other
 * flags are the fewest that let it get there.
 */

const reason = missingToolsReason([['virt-install', 'virtinst'], ['virsh', 'libvirt-clients']]);
if (reason && !inCi) console.log(`skipped virt-install acceptance: ${reason}`);

describe.skipIf(reason !== undefined && !inCi)('virt-install', () => {
  it('is installed (CI installs it, so there a missing one is a failure)', () => {
    expect(reason).toBeUndefined();
  });
});

const TEST_URI = 'test:///default';
const BASE = ['--connect', TEST_URI, '--print-xml', '--name', 'kvmnet-probe', '--memory', '64', '--disk', 'none', '--boot', 'hd', '--osinfo', 'detect=off,require=off', '--noautoconsole'];
const virtInstall = (network: readonly string[]) => execa('virt-install', [...BASE, ...network], { reject: false, all: true });

/** the `<interface>` elements of printed domain XML, one string each */
const interfaces = (xml: string): string[] => xml.match(/<interface [\s\S]*?<\/interface>/g) ?? [];

const matrix: [string, VirtInstallNic][] = NIC_MODELS.flatMap((model, i) => [
  [`network, ${model}`, { source: { type: 'network', network: 'default' }, model, mac: `52:54:00:3a:7c:3${i}` }],
  [`bridge, ${model}`, { source: { type: 'bridge', bridge: 'kv-lab' }, model, mac: `52:54:00:3a:7c:4${i}` }],
]);

describe.skipIf(reason !== undefined)('virt-install takes the rendered --network flags', () => {
  it.each(matrix)('%s', async (_label, nic) => {
    const result = await virtInstall(renderVirtInstallNetworkArgs(nic).argv);
    expect(result.exitCode, result.all).toBe(0);
    const [iface, ...more] = interfaces(result.stdout);
    expect(more).toEqual([]);
    const source = nic.source.type === 'network' ? `network="${nic.source.network}"` : `bridge="${nic.source.bridge}"`;
    expect(iface).toContain(`<interface type="${nic.source.type}">`);
    expect(iface).toContain(`<source ${source}/>`);
    expect(iface).toContain(`<mac address="${nic.mac}"/>`);
    expect(iface).toContain(`<model type="${nic.model}"/>`);
  });

  it('gives a guest two NICs in the order of the flags', async () => {
    const argv = matrix.slice(0, 2).flatMap(([, nic]) => renderVirtInstallNetworkArgs(nic).argv);
    const result = await virtInstall(argv);
    expect(result.exitCode, result.all).toBe(0);
    expect(interfaces(result.stdout).map((x) => /mac address="([^"]+)"/.exec(x)?.[1])).toEqual(['52:54:00:3a:7c:30', '52:54:00:3a:7c:40']);
  });

  it('refuses a misspelt option, so the checks above can fail', async () => {
    const [flag, value] = renderVirtInstallNetworkArgs(matrix[0]![1]).argv;
    const result = await virtInstall([flag!, value!.replace('model=', 'mdoel=')]);
    expect(result.exitCode).not.toBe(0);
    expect(result.all).toMatch(/Unknown --network options: \['mdoel'\]/);
  });

  it('agrees with KVMNet on which MACs are taken', async () => {
    // the test driver's guest "test" holds a MAC; read it as KVMNet's observer would see it
    const list = await execa('virsh', ['-c', TEST_URI, 'domiflist', 'test']);
    const macs = list.stdout.match(/([0-9a-f]{2}:){5}[0-9a-f]{2}/g) ?? [];
    expect(macs.length).toBeGreaterThan(0);
    const snapshot: HostSnapshot = {
      takenAt: new Date(0).toISOString(),
      hostname: 'probe',
      links: [],
      routes: [],
      libvirt: { available: true, networks: [], domains: [{ name: 'test', state: 'running', interfaces: macs.map((mac) => ({ type: 'network', mac })) }] },
    };
    const used = usedMacs(snapshot, [], []);
    const taken = macs[0]!;

    const check = checkGuestMac(taken, used);
    expect(check.ok).toBe(false);
    const refused = await virtInstall(renderVirtInstallNetworkArgs({ ...matrix[0]![1], mac: taken }).argv);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.all).toMatch(/is in use by another virtual machine/);

    const fresh = generateMac(used, Math.random);
    expect(checkGuestMac(fresh, used)).toEqual({ ok: true, mac: fresh });
    const accepted = await virtInstall(renderVirtInstallNetworkArgs({ ...matrix[0]![1], mac: fresh }).argv);
    expect(accepted.exitCode, accepted.all).toBe(0);
  });
});
