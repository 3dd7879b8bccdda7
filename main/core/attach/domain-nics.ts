import type { LibvirtDomain } from '../host-snapshot';
import { normalizeMac } from './mac';
import type { NicSource } from './nic-source';

type DomainNic = LibvirtDomain['interfaces'][number];

/** whether a NIC libvirt reports is plugged into this source */
export const pluggedInto = (nic: DomainNic, source: NicSource): boolean =>
  nic.type === source.type && nic.source === (source.type === 'network' ? source.network : source.bridge);

/** a libvirt domain's NIC on a network, as the app lists it and `kvmnet detach --vm` removes it */
export interface DomainNicOnNetwork {
  domain: string;
  /** libvirt's state words: running, shut off, paused… */
  state: string;
  mac: string;
  model: string | null;
}

/** the NICs of libvirt domains plugged into `source` (with a MAC: libvirt gives every defined NIC one) */
export function domainNicsOn(domains: readonly LibvirtDomain[], source: NicSource): DomainNicOnNetwork[] {
  return domains.flatMap((d) => d.interfaces
    .filter((nic) => pluggedInto(nic, source))
    .flatMap((nic) => {
      const mac = nic.mac === undefined ? undefined : normalizeMac(nic.mac);
      return mac === undefined ? [] : [{ domain: d.name, state: d.state, mac, model: nic.model ?? null }];
    }));
}
