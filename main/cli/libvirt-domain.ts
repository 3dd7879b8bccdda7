import type { HostSnapshot, LibvirtDomain } from '../core/host-snapshot';
import type { CliIo } from './cli-io';
import { refuseInput } from './bad-input';

/** The libvirt domain `--vm` names, or exit 2 saying what there is instead. */
export function requireDomain(io: CliIo, snapshot: HostSnapshot, domain: string, json: boolean): LibvirtDomain {
  if (!snapshot.libvirt.available) {
    refuseInput(io, [{ field: '--vm', message: `--vm needs libvirt, which did not answer (${snapshot.libvirt.reason ?? 'unavailable'}); start libvirtd and try again` }], json);
  }
  const found = snapshot.libvirt.domains.find((d) => d.name === domain);
  if (found) return found;
  const names = snapshot.libvirt.domains.map((d) => d.name);
  refuseInput(io, [{ field: '--vm', message: `--vm "${domain}" is not a libvirt domain on this host; ${names.length ? `the domains are ${names.join(', ')}` : 'there are none'} (virsh list --all shows them)` }], json);
}
