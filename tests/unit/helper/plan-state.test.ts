import { describe, expect, it } from 'vitest';
import type { LinkMap } from '../../../main/helper/link-facts';
import { readLinksFor } from '../../../main/helper/plan-state';
import type { Plan, Step } from '../../../main/helper/protocol';
import { FakeHostIo } from './fake-host-io';
import { fact, host } from './link-fixtures';

/** a host whose links sysfs shows without addresses (or not at all: undefined) and ip shows with them */
class LinkHost extends FakeHostIo {
  readonly reads: string[] = [];
  constructor(private readonly sysfs: LinkMap | undefined, private readonly ip: LinkMap) {
    super();
  }
  override readLinks(options: { sysctls?: boolean } = {}): Promise<LinkMap> {
    this.reads.push(options.sysctls ? 'ip+sysctls' : 'ip');
    return Promise.resolve(this.ip);
  }
  override readLinksWithoutAddresses(): Promise<LinkMap | undefined> {
    this.reads.push('sysfs');
    return Promise.resolve(this.sysfs);
  }
}

const withAddress = host(fact('eth0', { kind: 'other', alias: undefined, addresses: [{ family: 'inet', cidr: '192.168.1.2/24', scope: 'global' }] }), fact('kvold'));
const withoutAddress = host(fact('eth0', { kind: 'other', alias: undefined }), fact('kvold'));
const plan = (...steps: Step[]): Plan => ({ steps });
const create: Step[] = [
  { op: 'link.add', kind: 'bridge', name: 'kvnew', network: 'lab' },
  { op: 'addr.add', dev: 'kvnew', address: '10.80.0.1/24' },
  { op: 'link.setState', name: 'kvnew', up: true },
];

describe('readLinksFor', () => {
  it('reads a create from sysfs alone: it names only links it makes, whose addresses the simulation knows', async () => {
    const io = new LinkHost(withoutAddress, withAddress);
    expect(await readLinksFor(plan(...create, { op: 'link.setMaster', name: 'kvnew', master: 'kvold' }), io)).toBe(withoutAddress);
    expect(io.reads).toEqual(['sysfs']);
  });

  it('asks ip where a step reads the addresses of a link that is already there', async () => {
    for (const step of [
      { op: 'addr.add', dev: 'kvold', address: '10.81.0.1/24' },
      { op: 'addr.delete', dev: 'kvold', address: '10.81.0.1/24' },
      { op: 'link.setState', name: 'kvold', up: false },
    ] satisfies Step[]) {
      const io = new LinkHost(withoutAddress, withAddress);
      expect(await readLinksFor(plan(...create, step), io)).toBe(withAddress);
      expect(io.reads).toEqual(['sysfs', 'ip']);
    }
  });

  it('asks ip, with the per-interface sysctls, for a plan that deletes a link', async () => {
    const io = new LinkHost(withoutAddress, withAddress);
    expect(await readLinksFor(plan({ op: 'link.delete', name: 'kvold' }), io)).toBe(withAddress);
    expect(io.reads).toEqual(['ip+sysctls']);
  });

  it('asks ip where sysfs shows another network namespace', async () => {
    const io = new LinkHost(undefined, withAddress);
    expect(await readLinksFor(plan(...create), io)).toBe(withAddress);
    expect(io.reads).toEqual(['sysfs', 'ip']);
  });
});
