import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labUnavailableReason, startLab, type Lab } from '../../lab/lab';
import { readLinkCounters } from '../../../main/host/read-link-counters';
import type { HostCounters, LinkCounters } from '../../../main/core/host-counters';

const skip = labUnavailableReason();
if (skip) console.log(`skipped counters reader lab tests: ${skip}`);

/** a veth pair: kvc0 in the lab, its peer in a second namespace of the lab, as a guest's NIC would be */
const PAIR = ['netns add kvpeer', 'link add kvc0 type veth peer name kvc1 netns kvpeer', 'addr add 10.66.0.1/24 dev kvc0', 'link set kvc0 up'].join('\n');
const PEER = ['addr add 10.66.0.2/24 dev kvc1', 'link set kvc1 up', 'link set lo up'].join('\n');

const TAPS = 1000;

const find = (counters: HostCounters, name: string): LinkCounters => {
  const found = counters.links.find((l) => l.name === name);
  if (!found) throw new Error(`${name} is not among ${counters.links.map((l) => l.name).join(', ')}`);
  return found;
};

describe.skipIf(skip)('readLinkCounters against a lab\'s real /proc/net/dev', () => {
  let lab: Lab;
  /** the lab's /proc/net/dev: /proc/<pid>/net shows the network namespace of that process */
  let netDev: string;
  beforeAll(async () => {
    lab = await startLab();
    netDev = `/proc/${lab.pid}/net/dev`;
    await lab.sh('ip', ['-batch', '-'], { input: PAIR });
    await lab.sh('ip', ['-n', 'kvpeer', '-batch', '-'], { input: PEER });
  });
  afterAll(async () => {
    await lab?.close();
  });

  it('reads the counters iproute2 reads, and they grow with the traffic ping sends through the veth', async () => {
    const first = await readLinkCounters(netDev);
    expect(first.links.map((l) => l.name).sort()).toEqual(['kvc0', 'lo']);
    const [link] = JSON.parse(await lab.sh('ip', ['-j', '-s', 'link', 'show', 'kvc0'])) as [{ stats64: { rx: { bytes: number }; tx: { bytes: number } } }];
    const before = await readLinkCounters(netDev);
    // the kernel's own counters (IPv6 neighbour discovery may add a few bytes meanwhile): what `ip -s` printed lies between the two reads
    for (const [ours, theirs] of [['txBytes', link.stats64.tx.bytes], ['rxBytes', link.stats64.rx.bytes]] as const) {
      expect(theirs).toBeGreaterThanOrEqual(find(first, 'kvc0')[ours]);
      expect(theirs).toBeLessThanOrEqual(find(before, 'kvc0')[ours]);
    }

    const started = Date.now();
    // busybox's ping (busybox-static is among CI's packages); -A sends the next as soon as a reply comes
    await lab.sh('busybox', ['ping', '-c', '50', '-A', '-s', '1000', '-q', '10.66.0.2']);
    const after = await readLinkCounters(netDev);
    const [b, a] = [find(before, 'kvc0'), find(after, 'kvc0')];
    // 50 echo requests of 1000 bytes of data (1042 on the wire) out, as many replies in
    expect(a.txBytes - b.txBytes).toBeGreaterThanOrEqual(50 * 1042);
    expect(a.rxBytes - b.rxBytes).toBeGreaterThanOrEqual(50 * 1042);
    expect(a.txPackets - b.txPackets).toBeGreaterThanOrEqual(50);
    expect(a.rxPackets - b.rxPackets).toBeGreaterThanOrEqual(50);
    expect(Date.parse(after.takenAt)).toBeGreaterThanOrEqual(started);
  });

  it(`reads a host with ${TAPS} links in a few milliseconds, cheap enough to repeat every 2 s (the figure is printed)`, async () => {
    await lab.sh('ip', ['-batch', '-'], { input: Array.from({ length: TAPS }, (_, i) => `tuntap add dev kvd${i} mode tap`).join('\n') });
    const times: number[] = [];
    let counters: HostCounters | undefined;
    for (let i = 0; i < 7; i++) {
      const start = performance.now();
      counters = await readLinkCounters(netDev);
      times.push(performance.now() - start);
    }
    expect(counters!.links).toHaveLength(TAPS + 2);
    const sorted = times.sort((x, y) => x - y);
    console.log(`counters feed: one read of ${TAPS + 2} links' counters (/proc/net/dev) takes ${sorted[3]!.toFixed(1)} ms median (${sorted[0]!.toFixed(1)}–${sorted[6]!.toFixed(1)} ms), every 2 s while a diagram watches`);
    // a bound that catches a read per link or a child process, not a timing goal
    expect(sorted[3]).toBeLessThan(200);
  });
});
