import { dnsmasqConfPath, dnsmasqHostsPath, dnsmasqSpecPath, NFT_NETWORKS_PATH } from '../core/paths';
import { reloadDnsmasqHosts, runningDnsmasq, startDnsmasq, startedSpec, stopDnsmasq } from './dnsmasq-control';
import { sameReservations, setLiveDhcpHost, liveDhcpHostPresent } from './libvirt-dhcp-hosts';
import { stagingPath, type HostIo } from './host-io';
import type { HostUndo } from './host-undo';
import { bridgedLeftoversOf, ensureBridgedUndo } from './bridged-undo';
import { detachNic, nicWithMac, nicXmlFile, readDomainNics, restoreNic } from './libvirt-domain-control';
import { defineNetwork, definitionFile, readLibvirtNetwork, setAutostart, startNetwork, stopNetwork, undefineNetwork } from './libvirt-control';
import { nmManagesDevice, setNmManaged } from './nm-device-managed';
import { readNftNetworks, restoreNftNetworks, sameSpec, withNetwork } from './nft-network-set';

/**
 * What a step killed in the middle of a write may have left: staged files that never got renamed.
 * Every kind is named, with no default, so a new kind of undo does not compile until it says.
 */
function leftoversOf(undo: HostUndo): string[] {
  switch (undo.ensure) {
    case 'nft.network': return [stagingPath(NFT_NETWORKS_PATH)];
    case 'dnsmasq.stopped': return [dnsmasqConfPath(undo.network), dnsmasqSpecPath(undo.network), dnsmasqHostsPath(undo.network)].map(stagingPath);
    case 'dnsmasq.hosts': return [dnsmasqSpecPath(undo.spec.name), dnsmasqHostsPath(undo.spec.name)].map(stagingPath);
    case 'libvirt.dhcpHost': return [];
    case 'dnsmasq.running': return [];
    case 'libvirt.defined':
    case 'libvirt.undefined': return [definitionFile(undo.network), stagingPath(definitionFile(undo.network))];
    case 'libvirt.active':
    case 'libvirt.autostart': return [];
    case 'file':
    case 'symlink': return [stagingPath(undo.path)];
    case 'nm.managed': return [];
    case 'libvirt.nicAbsent': return [];
    case 'libvirt.nicPresent': return [nicXmlFile(undo.domain), stagingPath(nicXmlFile(undo.domain))];
    case 'nm.checkpoint.rolledBack':
    case 'nm.connection.absent':
    case 'nm.connection.active':
    case 'nm.keyfile':
    case 'uplink.placement':
    case 'pending.armed':
    case 'networkd.files': return bridgedLeftoversOf(undo);
  }
}

/**
 * Makes one host-level undo hold, doing nothing where it already holds, so a rollback replayed
 * after a crash changes only what still differs. Resolves with what could not be restored (in
 * plain words) or undefined; throws when the host refuses.
 */
export async function ensureHostUndo(undo: HostUndo, io: HostIo): Promise<string | undefined> {
  for (const leftover of leftoversOf(undo)) await io.removeFile(leftover);
  switch (undo.ensure) {
    case 'nft.network': {
      const current = await readNftNetworks(io);
      if (sameSpec(current.get(undo.network), undo.spec)) return undefined;
      await restoreNftNetworks(io, current, withNetwork(current, undo.network, undo.spec));
      return undefined;
    }
    case 'dnsmasq.stopped':
      await stopDnsmasq(io, undo.network);
      return undefined;
    case 'dnsmasq.running':
      if ((await runningDnsmasq(io, undo.spec.name)) === undefined) await startDnsmasq(io, undo.spec);
      return undefined;
    case 'libvirt.defined': {
      const facts = await readLibvirtNetwork(io, undo.network);
      if (facts && !facts.managedByKvmnet) return `libvirt network ${undo.network} was left alone: it has been redefined by someone else`;
      if (facts?.persistent && facts.xml === undo.xml) return undefined;
      await defineNetwork(io, undo.network, undo.xml);
      return undefined;
    }
    case 'libvirt.undefined': {
      const facts = await readLibvirtNetwork(io, undo.network);
      if (!facts?.persistent) return undefined;
      if (!facts.managedByKvmnet) return `libvirt network ${undo.network} was left defined: it has been redefined by someone else`;
      await undefineNetwork(io, undo.network);
      return undefined;
    }
    case 'libvirt.active': {
      const facts = await readLibvirtNetwork(io, undo.network);
      if ((facts?.active ?? false) === undo.active) return undefined;
      if (!facts) return `could not start libvirt network ${undo.network}: it no longer exists`;
      if (!facts.managedByKvmnet) return `libvirt network ${undo.network} was left as it is: it has been redefined by someone else`;
      await (undo.active ? startNetwork(io, undo.network) : stopNetwork(io, undo.network));
      return undefined;
    }
    case 'libvirt.autostart': {
      const facts = await readLibvirtNetwork(io, undo.network);
      // a network that is gone or only transient has no autostart, which holds for "off"
      if (!facts?.persistent) return undo.enabled ? `could not enable autostart of libvirt network ${undo.network}: it is no longer defined` : undefined;
      if (facts.autostart === undo.enabled) return undefined;
      if (!facts.managedByKvmnet) return `libvirt network ${undo.network} was left as it is: it has been redefined by someone else`;
      await setAutostart(io, undo.network, undo.enabled);
      return undefined;
    }
    case 'file': {
      const current = (await io.readText(undo.path)) ?? null;
      if (current === undo.content) return undefined;
      if (undo.content === null) await io.removeFile(undo.path);
      else await io.writeTextAtomic(undo.path, undo.content, 0o644);
      return undefined;
    }
    case 'dnsmasq.hosts': {
      if ((await runningDnsmasq(io, undo.spec.name)) === undefined) return undefined;
      if (sameReservations(await startedSpec(io, undo.spec.name), undo.spec)) return undefined;
      await reloadDnsmasqHosts(io, undo.spec);
      return undefined;
    }
    case 'libvirt.dhcpHost': {
      const facts = await readLibvirtNetwork(io, undo.network);
      if (!facts?.active) return undefined; // the definition, restored by its own undo, is what a later start uses
      if (!facts.managedByKvmnet) return `libvirt network ${undo.network} was left as it is: it has been redefined by someone else`;
      if ((await liveDhcpHostPresent(io, undo.network, undo.host)) === undo.present) return undefined;
      await setLiveDhcpHost(io, undo.network, undo.host, undo.present);
      return undefined;
    }
    case 'symlink': {
      const at = await io.readLinkAt(undo.path);
      if (at.kind === 'other') return `${undo.path} was left alone: it is no longer a symlink`;
      if (undo.target === null) {
        if (at.kind === 'symlink') await io.removeFile(undo.path);
      } else if (at.kind !== 'symlink' || at.target !== undo.target) {
        await io.writeSymlink(undo.path, undo.target);
      }
      return undefined;
    }
    case 'nm.managed': {
      const managed = await nmManagesDevice(io, undo.device);
      if (managed === undefined) return `could not ${undo.managed ? 'hand' : 'take'} ${undo.device} ${undo.managed ? 'back to' : 'away from'} NetworkManager: it no longer knows the device`;
      if (managed !== undo.managed) await setNmManaged(io, undo.device, undo.managed);
      return undefined;
    }
    case 'libvirt.nicAbsent': {
      const nics = await readDomainNics(io, undo.domain);
      const nic = nicWithMac(nics.config, undo.mac) ?? nicWithMac(nics.live, undo.mac);
      if (!nic) return undefined;
      await detachNic(io, undo.domain, nic.type, undo.mac, { config: nicWithMac(nics.config, undo.mac) !== undefined, live: nicWithMac(nics.live, undo.mac) !== undefined });
      return undefined;
    }
    case 'libvirt.nicPresent':
      await restoreNic(io, undo.domain, undo.mac, undo);
      return undefined;
    default:
      return ensureBridgedUndo(undo, io);
  }
}
