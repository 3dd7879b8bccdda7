import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostSnapshot } from '../../../main/core/host-snapshot';
import { labUnavailableReason, startLab, type Lab } from '../../lab/lab';
import { buildNodeBundle, type NodeBundle } from '../../lab/build-node-bundle';
import { NODE_ENTRIES } from '../../../vite.node.config';

const skip = labUnavailableReason();
if (skip) console.log(`skipped kvmnet status lab tests: ${skip}`);

// a bridge with two taps, a veth pair, addresses and a default route, in one `ip -batch`
const TOPOLOGY = `
link add kvbr0 type bridge
tuntap add dev kvtap0 mode tap user 1000
tuntap add dev kvtap1 mode tap
link set kvtap0 master kvbr0
link set kvtap1 master kvbr0
link set kvtap0 alias kvmnet:x
link add kvveth0 type veth peer name kvveth1
link set kvbr0 up
link set kvveth0 up
link set kvveth1 up
addr add 10.77.0.1/24 dev kvbr0
addr add fd00:77::1/64 dev kvbr0
addr add 10.78.0.1/30 dev kvveth0
route add default via 10.78.0.2 dev kvveth0
`;

describe.skipIf(skip)('kvmnet status in a lab', () => {
  let lab: Lab;
  let built: NodeBundle;
  let cli: string;
  beforeAll(async () => {
    [built, lab] = await Promise.all([buildNodeBundle('kvmnet', NODE_ENTRIES.kvmnet), startLab()]);
    cli = built.path;
    await lab.sh('ip', ['-batch', '-'], { input: TOPOLOGY });
    // an empty /run/libvirt: even if the machine ran libvirtd, its socket must not be reachable from here
    await lab.sh('mkdir', ['-p', '/run/libvirt']);
    await lab.sh('mount', ['-t', 'tmpfs', 'tmpfs', '/run/libvirt']);
  });
  afterAll(async () => {
    await lab?.close();
    await built?.remove();
  });

  const status = (...args: string[]) => lab.run(process.execPath, [cli, 'status', ...args]);

  it('--json lists exactly the lab links, with kinds, masters, peers, owners and addresses', async () => {
    const started = Date.now();
    const r = await status('--json');
    const elapsed = Date.now() - started;
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const snapshot = HostSnapshot.parse(JSON.parse(r.stdout));

    const ipNames = (JSON.parse(await lab.sh('ip', ['-j', 'link'])) as { ifname: string }[]).map((l) => l.ifname).sort();
    expect(snapshot.links.map((l) => l.name).sort()).toEqual(ipNames);
    expect(ipNames).toEqual(['kvbr0', 'kvtap0', 'kvtap1', 'kvveth0', 'kvveth1', 'lo']);

    const link = (name: string) => snapshot.links.find((l) => l.name === name)!;
    expect(Object.fromEntries(snapshot.links.map((l) => [l.name, [l.kind, l.master ?? null, l.owner ?? null]]))).toEqual({
      lo: ['loopback', null, null],
      kvbr0: ['bridge', null, null],
      kvtap0: ['tap', 'kvbr0', 'x'],
      kvtap1: ['tap', 'kvbr0', null],
      kvveth0: ['veth', null, null],
      kvveth1: ['veth', null, null],
    });
    expect(link('kvtap0')).toMatchObject({ alias: 'kvmnet:x', tapOwnerUid: 1000 });
    expect(link('kvveth0').peer).toBe('kvveth1');
    expect(link('kvveth1').peer).toBe('kvveth0');
    const cidrs = (name: string) => link(name).addresses.filter((a) => a.scope !== 'link').map((a) => `${a.address}/${a.prefixLength}`);
    expect(cidrs('kvbr0')).toEqual(['10.77.0.1/24', 'fd00:77::1/64']);
    expect(cidrs('kvveth0')).toEqual(['10.78.0.1/30']);
    expect(cidrs('kvtap1')).toEqual([]);
    expect(snapshot.routes).toContainEqual({ family: 'inet', dst: 'default', gateway: '10.78.0.2', dev: 'kvveth0' });
    expect(snapshot.routes).toContainEqual(expect.objectContaining({ family: 'inet6', dst: 'fd00:77::/64', dev: 'kvbr0' }));

    // no libvirtd in this lab: a state with a reason, not a failure, found without waiting for the
    // 2 s probe timeout (the reason would then say "did not answer"); the bound leaves room for a busy CI
    expect(snapshot.libvirt).toEqual({ available: false, reason: 'libvirtd is not running (no socket at /var/run/libvirt/libvirt-sock)', networks: [], domains: [] });
    expect(elapsed).toBeLessThan(3000);
  });

  it('shows the bridge with its ports and the links in the human view', async () => {
    const r = await status();
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^\s+kvbr0\s+kvtap0, kvtap1$/m);
    expect(r.stdout).toMatch(/^\s+kvtap0\s+tap\s+down\s+kvbr0\s+x\s*$/m);
    expect(r.stdout).toMatch(/^\s+kvveth0\s+veth \(peer kvveth1\)\s+up\s+10\.78\.0\.1\/30$/m);
    expect(r.stdout).toContain('IPv4 via 10.78.0.2 dev kvveth0');
    expect(r.stdout).toContain('not available: libvirtd is not running');
  });

  it('exits 2 with a helpful message on an unknown command or option', async () => {
    const unknown = await lab.run(process.execPath, [cli, 'attach-all']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'attach-all'");
    expect(unknown.stderr).toContain('kvmnet --help');
    const option = await status('--yaml');
    expect(option.exitCode).toBe(2);
    expect(option.stderr).toContain("unknown option '--yaml'");
  });
});
