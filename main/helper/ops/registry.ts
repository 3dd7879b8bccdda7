import type { HostOp, HostStep, HostStepOp, IpOp, IpStep, IpStepOp } from './op';
import { linkAdd } from './link-add';
import { linkDelete } from './link-delete';
import { linkSetMaster } from './link-set-master';
import { linkSetState } from './link-set-state';
import { linkSetAlias } from './link-set-alias';
import { addrAdd } from './addr-add';
import { addrDelete } from './addr-delete';
import { nftNetwork } from './nft-network';
import { dnsmasqStart } from './dnsmasq-start';
import { dnsmasqStop } from './dnsmasq-stop';
import { libvirtDefine } from './libvirt-define';
import { libvirtUndefine } from './libvirt-undefine';
import { libvirtStart } from './libvirt-start';
import { libvirtStop } from './libvirt-stop';
import { libvirtAutostart } from './libvirt-autostart';
import { recordWrite } from './record-write';
import { recordDelete } from './record-delete';
import { linkSetAddress } from './link-set-address';
import { nmManaged } from './nm-managed';
import { nmCheckpointCreate, nmCheckpointDestroy, nmCheckpointRollback } from './nm-checkpoint';
import { nmConnectionAdd, nmConnectionDelete, nmConnectionDown, nmConnectionUp } from './nm-connection';
import { uplinkBridge, uplinkUnbridge } from './uplink-bridge';
import { bridgedRecord } from './bridged-record';
import { pendingArm, pendingClaim, pendingOutcome } from './pending';
import { libvirtAttachTap } from './libvirt-attach-tap';
import { libvirtAttachInterface } from './libvirt-attach-interface';
import { libvirtDetachInterface } from './libvirt-detach-interface';
import { bootForwardsUnit, bootUnit } from './boot-unit';
import { dnsmasqHosts } from './dnsmasq-hosts';
import { libvirtDhcpHost } from './libvirt-dhcp-host';
import { networkdBridge, networkdUnbridge } from './networkd-bridge';

/** Every step family `ip -batch` runs; sysctl.set (ops/sysctl-set.ts) writes /proc/sys instead. */
export const IP_OPS: { [K in IpStepOp]: IpOp<K> } = {
  'link.add': linkAdd,
  'link.delete': linkDelete,
  'link.setMaster': linkSetMaster,
  'link.setState': linkSetState,
  'link.setAlias': linkSetAlias,
  'addr.add': addrAdd,
  'addr.delete': addrDelete,
  'link.setAddress': linkSetAddress,
};

/** Every family that runs as a step of its own, with nft, dnsmasq, virsh or files. */
export const HOST_OPS: { [K in HostStepOp]: HostOp<K> } = {
  'nft.network': nftNetwork,
  'dnsmasq.start': dnsmasqStart,
  'dnsmasq.stop': dnsmasqStop,
  'libvirt.define': libvirtDefine,
  'libvirt.undefine': libvirtUndefine,
  'libvirt.start': libvirtStart,
  'libvirt.stop': libvirtStop,
  'libvirt.autostart': libvirtAutostart,
  'record.write': recordWrite,
  'record.delete': recordDelete,
  'boot.unit': bootUnit,
  'nm.managed': nmManaged,
  'nm.checkpoint.create': nmCheckpointCreate,
  'nm.checkpoint.rollback': nmCheckpointRollback,
  'nm.checkpoint.destroy': nmCheckpointDestroy,
  'nm.connection.add': nmConnectionAdd,
  'nm.connection.up': nmConnectionUp,
  'nm.connection.down': nmConnectionDown,
  'nm.connection.delete': nmConnectionDelete,
  'uplink.bridge': uplinkBridge,
  'uplink.unbridge': uplinkUnbridge,
  'bridged.record': bridgedRecord,
  'pending.arm': pendingArm,
  'pending.claim': pendingClaim,
  'pending.outcome': pendingOutcome,
  'libvirt.attachTap': libvirtAttachTap,
  'libvirt.attachInterface': libvirtAttachInterface,
  'libvirt.detachInterface': libvirtDetachInterface,
  'dnsmasq.hosts': dnsmasqHosts,
  'libvirt.dhcpHost': libvirtDhcpHost,
  'boot.forwardsUnit': bootForwardsUnit,
  'networkd.bridge': networkdBridge,
  'networkd.unbridge': networkdUnbridge,
};

/** the family of a step, typed for that step (TypeScript cannot correlate the two by itself) */
export const ipOpFor = <S extends IpStep>(step: S): IpOp<S['op']> => IP_OPS[step.op] as unknown as IpOp<S['op']>;
export const hostOpFor = <S extends HostStep>(step: S): HostOp<S['op']> => HOST_OPS[step.op] as unknown as HostOp<S['op']>;
