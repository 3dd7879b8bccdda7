import type { HostSnapshot } from '../host-snapshot';
import { optionLines } from './command-line';
import { renderLibvirtInterfaceXml } from './libvirt-interface-xml';
import { generateMac, usedMacs } from './mac';
import type { NicSource } from './nic-source';
import { QemuNetdevId, renderQemuNicArgs } from './qemu-args';
import { qemuScriptName, type QemuScriptTarget } from './qemu-if-script';
import { renderQemuIfupScript } from './qemu-ifup-script';
import { defaultTapName } from './tap-name';
import { renderVirtInstallNetworkArgs } from './virt-install-args';

/** The network a guest joins, as far as its NIC configuration needs to know it. */
export interface SnippetNetwork {
  readonly name: string;
  readonly backend: 'libvirt' | 'direct';
  readonly bridge: string | null;
  /** KVMNet made it; only then does KVMNet write (and ship) a qemu-ifup script for it */
  readonly managed: boolean;
}

/** Ready-to-paste ways to put one new guest NIC on a network, all with the same fresh MAC. */
export interface NetworkSnippets {
  readonly mac: string;
  /** the tap a plain QEMU guest uses; KVMNet creates it owned by the user (a separate step) */
  readonly tap: string | null;
  readonly qemu: string | null;
  readonly virtInstall: string;
  readonly libvirtXml: string;
  readonly qemuIfup: { readonly name: string; readonly script: string } | null;
}

/**
 * libvirt guests join a libvirt network by name, or a direct network's bridge; plain QEMU joins the
 * bridge through a tap. `random` is Math.random in the app; tests pass a fixed one.
 */
export function networkSnippets(network: SnippetNetwork, snapshot: HostSnapshot, options: { vhostNet: boolean; random: () => number }): NetworkSnippets {
  const mac = generateMac(usedMacs(snapshot, [], []), options.random);
  const source: NicSource = network.backend === 'libvirt' || network.bridge === null
    ? { type: 'network', network: network.name }
    : { type: 'bridge', bridge: network.bridge };
  const tap = network.bridge === null ? null : defaultTapName(network.name, new Set(snapshot.links.map((l) => l.name)));
  const qemu = tap === null ? null : optionLines(renderQemuNicArgs({ id: QemuNetdevId.safeParse(tap).success ? tap : 'net0', backend: { kind: 'tap', tap }, mac, model: 'virtio', vhostNet: options.vhostNet }).argv);
  const target: QemuScriptTarget | null = network.managed && network.bridge !== null ? { network: network.name, bridge: network.bridge } : null;
  return {
    mac,
    tap,
    qemu,
    virtInstall: renderVirtInstallNetworkArgs({ source, model: 'virtio', mac }).shell,
    libvirtXml: renderLibvirtInterfaceXml({ source, model: 'virtio', mac }),
    qemuIfup: target === null ? null : { name: qemuScriptName('ifup', target.network), script: renderQemuIfupScript(target) },
  };
}
