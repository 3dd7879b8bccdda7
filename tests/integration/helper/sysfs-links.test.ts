import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LinkFacts } from '../../../main/helper/link-facts';
import { buildNodeBundle, type NodeBundle } from '../../lab/build-node-bundle';
import { labUnavailableReason, startLab, type Lab } from '../../lab/lab';

const skip = labUnavailableReason();
if (skip) console.log(`skipped sysfs link read tests: ${skip}`);

/**
 * The helper reads the links of a create from sysfs instead of `ip -j -d addr show`: in a lab with
 * links of every kind the two reads must agree on everything but the addresses.
 */
const LINKS = [
  'link add name kvbr0 address 52:54:00:aa:00:01 type bridge forward_delay 0 stp_state 1',
  'link set dev kvbr0 alias kvmnet:lab',
  'link add name kvbr1 type bridge',
  'link set dev kvbr1 mtu 1400',
  'tuntap add dev kvtap0 mode tap user 1000',
  'link set dev kvtap0 address 52:54:00:aa:00:02',
  'link set dev kvtap0 alias kvmnet:lab',
  'link set dev kvtap0 master kvbr0',
  'tuntap add dev kvtap1 mode tap',
  'tuntap add dev tun0 mode tun',
  'link add name kvva type veth peer name kvvb',
  'link set dev kvva alias kvmnet:lab',
  'link set dev kvva master kvbr0',
  'link set dev kvvb mtu 9000',
  'address add 10.80.0.1/24 dev kvbr0',
  'address add fd80::1/64 dev kvbr0',
  'link set dev kvbr0 up',
  'link set dev kvva up',
  'link set dev kvtap0 up',
];

interface Reads { ip: LinkFacts[]; sysfs: LinkFacts[] | null }

describe.skipIf(skip)('links read from sysfs', () => {
  let lab: Lab;
  let probe: NodeBundle;
  /** runs the probe, behind `wrapper` (a command that runs the rest of its arguments) when given */
  const read = async (wrapper: string[] = []): Promise<Reads> => {
    const [file, ...args] = [...wrapper, process.execPath, probe.path];
    return JSON.parse(await lab.sh(file!, args)) as Reads;
  };

  beforeAll(async () => {
    [probe, lab] = await Promise.all([buildNodeBundle('link-read-probe', 'tests/integration/helper/link-read-probe.ts'), startLab()]);
    await lab.sh('ip', ['-batch', '-'], { input: `${LINKS.join('\n')}\n` });
  }, 60_000);
  afterAll(async () => {
    await lab?.close();
    await probe?.remove();
  });

  it('are the links ip reads, every fact but the addresses', async () => {
    const { ip, sysfs } = await read();
    expect(ip.map((l) => l.name).sort()).toEqual(['kvbr0', 'kvbr1', 'kvtap0', 'kvtap1', 'kvva', 'kvvb', 'lo', 'tun0']);
    expect(ip.find((l) => l.name === 'kvbr0')!.addresses.length).toBeGreaterThan(0);
    expect(sysfs).toEqual(ip.map((l) => ({ ...l, addresses: [] })));
    expect(sysfs!.find((l) => l.name === 'kvtap0')).toMatchObject({ kind: 'tap', tapUser: 1000, master: 'kvbr0', mac: '52:54:00:aa:00:02', up: true });
    // with STP on the kernel raises a forward delay of 0 to its minimum, 2 s (in clock ticks, as ip reads it)
    expect(sysfs!.find((l) => l.name === 'kvbr0')).toMatchObject({ kind: 'bridge', stp: true, forwardDelay: 200, alias: 'kvmnet:lab' });
    expect(sysfs!.find((l) => l.name === 'kvbr1')).toMatchObject({ kind: 'bridge', stp: false, forwardDelay: 1500, mtu: 1400 });
    expect(sysfs!.find((l) => l.name === 'kvva')).toMatchObject({ kind: 'veth', peer: 'kvvb' });
  });

  it('are refused where the sysfs mounted is another network namespace\'s', async () => {
    // a namespace entered without mounting a sysfs of its own still shows the lab's links in /sys/class/net
    const { ip, sysfs } = await read(['unshare', '--net']);
    expect(ip.map((l) => l.name)).toEqual(['lo']);
    expect(sysfs).toBeNull();
  });
});
