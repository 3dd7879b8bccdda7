import { describe, expect, it } from 'vitest';
import { LibvirtNetwork } from '../../../main/core/host-snapshot';
import { KVMNET_XMLNS } from '../../../main/core/libvirt-metadata';
import { parseNetInfo, parseNetworkXml } from '../../../main/host/parse-libvirt-network';
import { hostFixture } from '../../fixtures/host/fixture';

const network = (name: string) =>
  parseNetworkXml(hostFixture(`libvirt/net-dumpxml-${name}.xml`), parseNetInfo(hostFixture(`libvirt/net-info-${name}.txt`)));

describe('parseNetInfo', () => {
  it('reads the run state, persistence and autostart', () => {
    expect(parseNetInfo(hostFixture('libvirt/net-info-labnat.txt'))).toEqual({ active: true, persistent: true, autostart: true });
    expect(parseNetInfo(hostFixture('libvirt/net-info-labtransient.txt'))).toEqual({ active: true, persistent: false, autostart: false });
    expect(parseNetInfo(hostFixture('libvirt/net-info-labiso.txt'))).toEqual({ active: false, persistent: true, autostart: false });
  });

  it('refuses output without the yes/no words (virsh run in another language)', () => {
    expect(() => parseNetInfo('Tên: labnat\nHoạt động: có\n')).toThrow(/no yes\/no for active/);
  });
});

describe('parseNetworkXml', () => {
  it('reads a NAT network with its bridge', () => {
    expect(network('labnat')).toEqual({
      name: 'labnat', uuid: 'f2ba911a-649f-44e5-bf43-7d95d3f65fa9', active: true, persistent: true, autostart: true,
      bridge: 'virbr7', forwardMode: 'nat', managedByKvmnet: false,
    });
  });

  it('calls a network without <forward> isolated', () => {
    expect(network('labiso')).toMatchObject({ forwardMode: 'isolated', bridge: 'virbr8', active: false });
  });

  it('reads route, open and bridge forward modes', () => {
    expect(network('kvlab').forwardMode).toBe('route');
    expect(network('labtransient')).toMatchObject({ forwardMode: 'open', persistent: false });
    expect(network('lanbr')).toMatchObject({ forwardMode: 'bridge', bridge: 'kvbr0' });
  });

  it('treats <forward/> without a mode as NAT, as libvirt does', () => {
    const xml = '<network><name>n</name><forward/><bridge name="virbr5"/></network>';
    expect(parseNetworkXml(xml, { active: false, persistent: true, autostart: false }).forwardMode).toBe('nat');
  });

  it('marks only networks with an element in KVMNet’s namespace as managed', () => {
    expect(network('kvlab').managedByKvmnet).toBe(true);
    expect(network('labforeign').managedByKvmnet).toBe(false);
    expect(network('labnat').managedByKvmnet).toBe(false);
  });

  it('matches the namespace URI, not the prefix', () => {
    const info = { active: false, persistent: true, autostart: false };
    const withPrefix = (prefix: string, uri: string) =>
      `<network><name>n</name><metadata><${prefix}:network xmlns:${prefix}="${uri}"/></metadata></network>`;
    expect(parseNetworkXml(withPrefix('kn', KVMNET_XMLNS), info).managedByKvmnet).toBe(true);
    expect(parseNetworkXml(withPrefix('kvmnet', 'https://example.org/not-kvmnet'), info).managedByKvmnet).toBe(false);
    const defaultNamespace = `<network><name>n</name><metadata><network xmlns="${KVMNET_XMLNS}"/></metadata></network>`;
    expect(parseNetworkXml(defaultNamespace, info).managedByKvmnet).toBe(true);
  });

  it('gives networks the snapshot schema accepts', () => {
    for (const name of ['labnat', 'labiso', 'lanbr', 'kvlab', 'labtransient', 'labforeign']) {
      expect(LibvirtNetwork.parse(network(name))).toEqual(network(name));
    }
  });

  it('refuses a document that is not a network', () => {
    expect(() => parseNetworkXml('<domain><name>x</name></domain>', { active: true, persistent: true, autostart: false })).toThrow(/<network>/);
  });
});
