import { ownerAlias } from '../names';
import { shellCommand, shellQuote } from '../shell-quote';
import { sysctlTarget } from '../../helper/sysctl-key';
import type { NetworkSpec } from '../network/network-spec';
import { DNSMASQ_RUN_DIR, FORWARDS_UNIT_NAME, FORWARDS_UNIT_PATH, LEASES_DIR, RECORDS_DIR, SYSTEMD_UNIT_NAME, SYSTEMD_UNIT_PATH, dnsmasqConfPath, dnsmasqHostsPath, dnsmasqPidPath, recordPath } from '../paths';
import { describeStep } from '../plan/describe-step';
import type { Plan, Step } from '../../helper/protocol';
import { renderDhcpHostLines, renderDnsmasqConf } from './dnsmasq-conf';
import { renderDhcpHostXml, renderLibvirtNetworkXml } from './libvirt-network-xml';
import { renderNftablesScript } from './nftables-table';
import { bridgedStepCommands } from '../bridge-to-lan/bridged-step-words';
import { renderLibvirtForwardsUnit, renderRestoreUnit } from './systemd-unit';

/**
 * A plan as the shell commands a person could type to do the same by hand: what `--dry-run`
 * prints and what the app shows before asking to apply. Every word is quoted for a POSIX shell,
 * and file contents go in quoted here-documents, so nothing in them is expanded. The helper does
 * not run these lines (it uses argument arrays, `ip -batch` and files it writes itself); they are
 * for reading, and they show the same nftables table, dnsmasq configuration, libvirt XML and
 * systemd unit the helper writes, from the same renderers.
 */

const LIBVIRT_URI = 'qemu:///system';

/** per-interface keys in sysctl's slash form, which reads a dot in an interface name (kv.lab) as part of it */
const sysctlWord = (key: string): string => {
  const target = sysctlTarget(key);
  return target?.iface === undefined ? key : target.path;
};

/** a here-document whose delimiter no line of `text` equals, quoted so the shell expands nothing */
export function hereDocument(head: string, text: string): string {
  const lines = text.replace(/\n$/, '').split('\n');
  let delimiter = 'KVMNET_EOF';
  for (let n = 2; lines.includes(delimiter); n++) delimiter = `KVMNET_EOF_${n}`;
  return [`${head} <<'${delimiter}'`, ...lines, delimiter].join('\n');
}

/** `nft` is the table's network set as the plan has changed it so far */
function stepCommands(step: Step, nft: Map<string, NetworkSpec | null>): string[] {
  switch (step.op) {
    case 'link.add': {
      const mtu = (name: string) => (step.mtu === undefined ? [] : [shellCommand('ip', 'link', 'set', 'dev', name, 'mtu', String(step.mtu))]);
      const alias = (name: string) => shellCommand('ip', 'link', 'set', 'dev', name, 'alias', ownerAlias(step.network));
      switch (step.kind) {
        case 'bridge':
          return [
            shellCommand('ip', 'link', 'add', 'name', step.name, 'type', 'bridge', 'forward_delay', '0', ...(step.stp === undefined ? [] : ['stp_state', step.stp ? '1' : '0'])),
            alias(step.name),
            ...mtu(step.name),
          ];
        case 'tap':
          return [
            shellCommand('ip', 'tuntap', 'add', 'dev', step.name, 'mode', 'tap', ...(step.user === undefined ? [] : ['user', String(step.user)])),
            ...(step.mac === undefined ? [] : [shellCommand('ip', 'link', 'set', 'dev', step.name, 'address', step.mac)]),
            alias(step.name),
            ...mtu(step.name),
          ];
        case 'veth':
          return [shellCommand('ip', 'link', 'add', 'name', step.name, 'type', 'veth', 'peer', 'name', step.peer), alias(step.name), alias(step.peer), ...mtu(step.name), ...mtu(step.peer)];
      }
      break;
    }
    case 'link.delete':
      return [shellCommand('ip', 'link', 'delete', 'dev', step.name)];
    case 'link.setMaster':
      return [step.master === null ? shellCommand('ip', 'link', 'set', 'dev', step.name, 'nomaster') : shellCommand('ip', 'link', 'set', 'dev', step.name, 'master', step.master)];
    case 'link.setState':
      return [shellCommand('ip', 'link', 'set', 'dev', step.name, step.up ? 'up' : 'down')];
    case 'link.setAlias':
      return [shellCommand('ip', 'link', 'set', 'dev', step.name, 'alias', ownerAlias(step.network))];
    case 'addr.add':
      return [shellCommand('ip', 'address', 'add', step.address, 'dev', step.dev)];
    case 'addr.delete':
      return [shellCommand('ip', 'address', 'delete', step.address, 'dev', step.dev)];
    case 'sysctl.set':
      return [shellCommand('sysctl', '-w', `${sysctlWord(step.key)}=${step.value}`)];
    case 'nft.network': {
      // the helper renders KVMNet's table whole from the set of networks with rules, and replaces it in one transaction
      nft.set(step.network, step.spec);
      const networks = [...nft.values()].filter((spec): spec is NetworkSpec => spec !== null);
      return [hereDocument(shellCommand('nft', '-f', '-'), renderNftablesScript(networks))];
    }
    case 'dnsmasq.start': {
      const conf = dnsmasqConfPath(step.spec.name);
      return [
        shellCommand('mkdir', '-p', DNSMASQ_RUN_DIR, LEASES_DIR),
        hereDocument(`cat > ${shellQuote(conf)}`, renderDnsmasqConf(step.spec)),
        shellCommand('dnsmasq', `--conf-file=${conf}`),
      ];
    }
    case 'dnsmasq.stop':
      return [`kill "$(cat ${shellQuote(dnsmasqPidPath(step.network))})"`];
    case 'libvirt.define':
      return [hereDocument(shellCommand('virsh', '-c', LIBVIRT_URI, 'net-define', '/dev/stdin'), renderLibvirtNetworkXml(step.spec))];
    case 'libvirt.undefine':
      return [shellCommand('virsh', '-c', LIBVIRT_URI, 'net-undefine', step.network)];
    case 'libvirt.start':
      return [shellCommand('virsh', '-c', LIBVIRT_URI, 'net-start', step.network)];
    case 'libvirt.stop':
      return [shellCommand('virsh', '-c', LIBVIRT_URI, 'net-destroy', step.network)];
    case 'libvirt.autostart':
      return [shellCommand('virsh', '-c', LIBVIRT_URI, 'net-autostart', step.network, ...(step.enabled ? [] : ['--disable']))];
    case 'record.write':
      return [
        shellCommand('mkdir', '-p', RECORDS_DIR),
        hereDocument(`cat > ${shellQuote(recordPath(step.record.spec.name))}`, JSON.stringify(step.record, null, 2)),
      ];
    case 'record.delete':
      return [shellCommand('rm', '-f', recordPath(step.network))];
    case 'boot.unit':
      return step.enabled
        ? [hereDocument(`cat > ${shellQuote(SYSTEMD_UNIT_PATH)}`, renderRestoreUnit()), shellCommand('systemctl', 'enable', SYSTEMD_UNIT_NAME)]
        : [shellCommand('systemctl', 'disable', SYSTEMD_UNIT_NAME), shellCommand('rm', '-f', SYSTEMD_UNIT_PATH)];
    case 'link.setAddress':
      return [shellCommand('ip', 'link', 'set', 'dev', step.name, 'address', step.mac)];
    case 'nm.managed':
      return [shellCommand('nmcli', 'device', 'set', step.device, 'managed', step.managed ? 'yes' : 'no')];
    case 'libvirt.attachTap':
      return [`ip link set dev ${shellQuote(step.tap)} master "$(virsh -c ${LIBVIRT_URI} net-info ${shellQuote(step.network)} | awk '/^Bridge:/ {print $2}')"`];
    case 'libvirt.attachInterface': {
      const source = step.source.type === 'network' ? step.source.network : step.source.bridge;
      // --live only when the domain runs: the helper decides that when the step runs
      return [shellCommand('virsh', '-c', LIBVIRT_URI, 'attach-interface', '--domain', step.domain, '--type', step.source.type, '--source', source, '--mac', step.mac, '--model', step.model, '--config')];
    }
    case 'libvirt.detachInterface':
      return [shellCommand('virsh', '-c', LIBVIRT_URI, 'detach-interface', '--domain', step.domain, '--type', step.source.type, '--mac', step.mac, '--config')];
    case 'dnsmasq.hosts':
      return [
        hereDocument(`cat > ${shellQuote(dnsmasqHostsPath(step.network))}`, renderDhcpHostLines(step.reservations)),
        `kill -HUP "$(cat ${shellQuote(dnsmasqPidPath(step.network))})"`,
      ];
    case 'boot.forwardsUnit':
      return step.enabled
        ? [hereDocument(`cat > ${shellQuote(FORWARDS_UNIT_PATH)}`, renderLibvirtForwardsUnit()), shellCommand('systemctl', 'enable', FORWARDS_UNIT_NAME)]
        : [shellCommand('systemctl', 'disable', FORWARDS_UNIT_NAME), shellCommand('rm', '-f', FORWARDS_UNIT_PATH)];
    case 'libvirt.dhcpHost':
      return [shellCommand('virsh', '-c', LIBVIRT_URI, 'net-update', step.network, step.present ? 'add-last' : 'delete', 'ip-dhcp-host', renderDhcpHostXml(step.host), '--live')];
    default:
      return bridgedStepCommands(step);
  }
}

/** What the shell rendering needs to know beyond the plan. */
export interface ShellContext {
  /** the networks whose rules are in KVMNet's nftables table before the plan runs (the direct networks that run) */
  readonly nftNetworks?: readonly NetworkSpec[];
}

export function renderPlanAsShell(plan: Plan, context: ShellContext = {}): string {
  if (plan.steps.length === 0) return '# nothing to do\n';
  const total = plan.steps.length;
  const nft = new Map<string, NetworkSpec | null>((context.nftNetworks ?? []).map((spec) => [spec.name, spec]));
  const blocks = plan.steps.map((step, i) => [`# ${i + 1}/${total} ${describeStep(step)}`, ...stepCommands(step, nft)].join('\n'));
  return `${[...(plan.description ? [`# ${plan.description}`] : []), ...blocks].join('\n\n')}\n`;
}
