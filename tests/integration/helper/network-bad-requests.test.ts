import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labUnavailableReason, startLab, type Lab } from '../../lab/lab';
import { startLibvirtd } from '../../lab/libvirtd';
import type { HostState } from '../../lab/host-state';
import { HelperProcess } from './helper-process';
import { hostState, settledHostState } from './host-checks';
import { directUpSteps, hostonlySpec, libvirtSpec, natSpec } from './network-fixtures';

const skip = labUnavailableReason();
if (skip) console.log(`skipped helper network bad-request tests: ${skip}`);

const apply = (...steps: unknown[]) => JSON.stringify({ id: 'bad', method: 'apply', plan: { steps } });

interface Bad {
  what: string;
  line: string;
  code: 'INVALID_REQUEST' | 'NOT_OWNED' | 'NOT_ALLOWED';
  field: string;
}

const isolated = { name: 'iso', kind: 'isolated', backend: 'direct', bridge: 'kviso0', ipv4: null, dhcp: null, autostart: true };
const web = { proto: 'tcp', hostPort: { start: 8080, end: 8080 }, to: { ip: '10.80.0.5', port: { start: 80, end: 80 } } };
/** the foreign libvirt network below, described as if it were a KVMNet NAT network */
const foreignAsKvmnet = {
  name: 'foreign', kind: 'nat', backend: 'libvirt', bridge: 'virbr9', ipv4: { subnet: '10.89.0.0/24', gateway: '10.89.0.1' }, dhcp: null, autostart: false,
};

const BAD: Bad[] = [
  // file names come from network names, which the schema keeps to letters, digits, "_" and "-"
  { what: 'a record named ../../etc/passwd', line: apply({ op: 'record.write', record: { version: 1, spec: { ...natSpec, name: '../../etc/passwd' } } }), code: 'INVALID_REQUEST', field: 'plan.steps.0.record.spec.name' },
  { what: 'deleting the record ../../etc/passwd', line: apply({ op: 'record.delete', network: '../../etc/passwd' }), code: 'INVALID_REQUEST', field: 'plan.steps.0.network' },
  { what: 'deleting a record named with a slash', line: apply({ op: 'record.delete', network: 'lab/../../x' }), code: 'INVALID_REQUEST', field: 'plan.steps.0.network' },
  { what: 'stopping the dnsmasq of ../x', line: apply({ op: 'dnsmasq.stop', network: '../x' }), code: 'INVALID_REQUEST', field: 'plan.steps.0.network' },
  { what: 'a record with a field of its own', line: apply({ op: 'record.write', record: { version: 1, spec: natSpec, script: 'reboot' } }), code: 'INVALID_REQUEST', field: 'plan.steps.0.record.script' },
  { what: 'a record of another version', line: apply({ op: 'record.write', record: { version: 2, spec: natSpec } }), code: 'INVALID_REQUEST', field: 'plan.steps.0.record.version' },
  // specs reach nft rules, dnsmasq configuration and libvirt XML: nothing but valid values gets there
  { what: 'a bridge name that would close an nft string', line: apply({ op: 'nft.network', network: 'lab', spec: { ...natSpec, bridge: 'kv"x' } }), code: 'INVALID_REQUEST', field: 'plan.steps.0.spec.bridge' },
  { what: 'a domain carrying a dnsmasq option', line: apply({ op: 'dnsmasq.start', spec: { ...natSpec, domain: 'lab\nconf-file=/etc/shadow' } }), code: 'INVALID_REQUEST', field: 'plan.steps.0.spec.domain' },
  { what: 'a DHCP range carrying a dnsmasq option', line: apply({ op: 'dnsmasq.start', spec: { ...natSpec, dhcp: { start: '10.80.0.128\ndhcp-script=/bin/sh', end: '10.80.0.254' } } }), code: 'INVALID_REQUEST', field: 'plan.steps.0.spec.dhcp.start' },
  { what: 'a network name closing the libvirt <name> element', line: apply({ op: 'libvirt.define', spec: { ...libvirtSpec, name: 'x</name><forward mode="bridge"/><name>' } }), code: 'INVALID_REQUEST', field: 'plan.steps.0.spec.name' },
  { what: 'a routed network without uplink', line: apply({ op: 'nft.network', network: 'lab', spec: { ...natSpec, kind: 'routed' } }), code: 'INVALID_REQUEST', field: 'plan.steps.0.spec.uplink' },
  { what: 'boot.unit enabled as a word', line: apply({ op: 'boot.unit', enabled: 'yes' }), code: 'INVALID_REQUEST', field: 'plan.steps.0.enabled' },
  { what: 'a boot unit with a command', line: apply({ op: 'boot.unit', enabled: true, execStart: '/bin/sh' }), code: 'INVALID_REQUEST', field: 'plan.steps.0.execStart' },
  // dnsmasq only on a bridge of KVMNet's, of that network, once
  { what: 'dnsmasq on a bridge KVMNet does not own', line: apply({ op: 'dnsmasq.start', spec: { ...natSpec, bridge: 'virbr9' } }), code: 'NOT_OWNED', field: 'plan.steps.0.spec.bridge' },
  { what: 'dnsmasq on the machine\'s NIC', line: apply({ op: 'dnsmasq.start', spec: { ...natSpec, bridge: 'eth0' } }), code: 'NOT_OWNED', field: 'plan.steps.0.spec.bridge' },
  { what: 'dnsmasq on another network\'s bridge', line: apply({ op: 'dnsmasq.start', spec: { ...natSpec, bridge: hostonlySpec.bridge } }), code: 'NOT_OWNED', field: 'plan.steps.0.spec.bridge' },
  { what: 'dnsmasq on a bridge that does not exist', line: apply({ op: 'dnsmasq.start', spec: { ...natSpec, bridge: 'kvghost' } }), code: 'NOT_OWNED', field: 'plan.steps.0.spec.bridge' },
  { what: 'a second dnsmasq for a network whose dnsmasq runs', line: apply({ op: 'dnsmasq.start', spec: hostonlySpec }), code: 'NOT_ALLOWED', field: 'plan.steps.0.spec.name' },
  { what: 'dnsmasq for an isolated network', line: apply({ op: 'link.add', kind: 'bridge', name: 'kviso0', network: 'iso' }, { op: 'dnsmasq.start', spec: isolated }), code: 'INVALID_REQUEST', field: 'plan.steps.1.spec.ipv4' },
  { what: 'dnsmasq for a libvirt network', line: apply({ op: 'dnsmasq.start', spec: { ...natSpec, backend: 'libvirt' } }), code: 'NOT_ALLOWED', field: 'plan.steps.0.spec.backend' },
  // firewall rules only for KVMNet's bridges
  { what: 'rules for the machine\'s NIC', line: apply({ op: 'nft.network', network: 'lab', spec: { ...natSpec, kind: 'hostonly', bridge: 'eth0' } }), code: 'NOT_OWNED', field: 'plan.steps.0.spec.bridge' },
  { what: 'rules whose spec names another network', line: apply({ op: 'nft.network', network: 'ho', spec: natSpec }), code: 'INVALID_REQUEST', field: 'plan.steps.0.spec.name' },
  { what: 'rules for a libvirt network without forwards', line: apply({ op: 'nft.network', network: 'lab', spec: { ...natSpec, backend: 'libvirt' } }), code: 'NOT_ALLOWED', field: 'plan.steps.0.spec.forwards' },
  // proxy_arp on a link KVMNet does not own: only on the uplink of a proxy-ARP network the plan names, and nothing else there
  { what: 'proxy_arp on the NIC alongside a plain routed network', line: apply({ op: 'record.write', record: { version: 1, spec: { ...natSpec, kind: 'routed', uplink: 'eth0' } } }, { op: 'sysctl.set', key: 'net.ipv4.conf.eth0.proxy_arp', value: '1' }), code: 'NOT_ALLOWED', field: 'plan.steps.1.key' },
  { what: 'proxy_arp on another NIC than the proxy-ARP network\'s uplink', line: apply({ op: 'record.write', record: { version: 1, spec: { ...natSpec, kind: 'routed', uplink: 'uplink0', proxyArp: true } } }, { op: 'sysctl.set', key: 'net.ipv4.conf.eth0.proxy_arp', value: '1' }), code: 'NOT_ALLOWED', field: 'plan.steps.1.key' },
  { what: 'forwarding on the uplink of a proxy-ARP network', line: apply({ op: 'record.write', record: { version: 1, spec: { ...natSpec, kind: 'routed', uplink: 'eth0', proxyArp: true } } }, { op: 'sysctl.set', key: 'net.ipv4.conf.eth0.forwarding', value: '1' }), code: 'NOT_ALLOWED', field: 'plan.steps.1.key' },
  { what: 'proxy ARP on a nat network', line: apply({ op: 'record.write', record: { version: 1, spec: { ...natSpec, proxyArp: true } } }), code: 'INVALID_REQUEST', field: 'plan.steps.0.record.spec.proxyArp' },
  // libvirt: only networks carrying KVMNet's metadata
  { what: 'undefining a libvirt network without KVMNet metadata', line: apply({ op: 'libvirt.undefine', network: 'foreign' }), code: 'NOT_OWNED', field: 'plan.steps.0.network' },
  { what: 'stopping a libvirt network without KVMNet metadata', line: apply({ op: 'libvirt.stop', network: 'foreign' }), code: 'NOT_OWNED', field: 'plan.steps.0.network' },
  { what: 'starting a libvirt network without KVMNet metadata', line: apply({ op: 'libvirt.start', network: 'foreign' }), code: 'NOT_OWNED', field: 'plan.steps.0.network' },
  { what: 'autostart of a libvirt network without KVMNet metadata', line: apply({ op: 'libvirt.autostart', network: 'foreign', enabled: false }), code: 'NOT_OWNED', field: 'plan.steps.0.network' },
  { what: 'redefining a libvirt network without KVMNet metadata', line: apply({ op: 'libvirt.define', spec: { ...libvirtSpec, name: 'foreign' } }), code: 'NOT_OWNED', field: 'plan.steps.0.spec.name' },
  { what: 'starting a libvirt network that does not exist', line: apply({ op: 'libvirt.start', network: 'ghost' }), code: 'NOT_OWNED', field: 'plan.steps.0.network' },
  { what: 'defining a direct network in libvirt', line: apply({ op: 'libvirt.define', spec: natSpec }), code: 'NOT_ALLOWED', field: 'plan.steps.0.spec.backend' },
  // the doctor's fixes: only KVMNet's own links, and only unicast addresses
  { what: 'a new MAC for the machine\'s NIC', line: apply({ op: 'link.setAddress', name: 'eth0', mac: '02:4b:00:00:00:01' }), code: 'NOT_OWNED', field: 'plan.steps.0.name' },
  { what: 'a multicast MAC for a KVMNet bridge', line: apply({ op: 'link.setAddress', name: natSpec.bridge, mac: '01:00:5e:00:00:01' }), code: 'INVALID_REQUEST', field: 'plan.steps.0.mac' },
  { what: 'NetworkManager letting go of the machine\'s NIC', line: apply({ op: 'nm.managed', device: 'eth0', managed: false }), code: 'NOT_OWNED', field: 'plan.steps.0.device' },
  { what: 'NetworkManager told about a device name with a slash', line: apply({ op: 'nm.managed', device: '../eth0', managed: false }), code: 'INVALID_REQUEST', field: 'plan.steps.0.device' },
  // forwards and reservations: DNAT only into the network, reservations only on KVMNet's networks, nothing smuggled into a file
  { what: 'a forward leading out of the network', line: apply({ op: 'nft.network', network: 'lab', spec: { ...natSpec, forwards: [{ ...web, to: { ip: '198.51.100.7', port: web.to.port } }] } }), code: 'INVALID_REQUEST', field: 'plan.steps.0.spec.forwards' },
  { what: 'forwards for a libvirt network without KVMNet metadata', line: apply({ op: 'nft.network', network: 'foreign', spec: { ...foreignAsKvmnet, forwards: [{ ...web, to: { ip: '10.89.0.5', port: web.to.port } }] } }), code: 'NOT_OWNED', field: 'plan.steps.0.spec.name' },
  { what: 'a reservation in a libvirt network without KVMNet metadata', line: apply({ op: 'libvirt.dhcpHost', network: 'foreign', host: { mac: '52:54:00:00:00:05', ip: '10.89.0.5' }, present: true }), code: 'NOT_OWNED', field: 'plan.steps.0.network' },
  { what: 'a reservation name closing the <host> element', line: apply({ op: 'libvirt.dhcpHost', network: 'foreign', host: { mac: '52:54:00:00:00:05', ip: '10.89.0.5', name: "web'/><x" }, present: true }), code: 'INVALID_REQUEST', field: 'plan.steps.0.host.name' },
  { what: 'a reservation carrying a dnsmasq option', line: apply({ op: 'dnsmasq.hosts', network: hostonlySpec.name, bridge: hostonlySpec.bridge, reservations: [{ mac: '52:54:00:00:00:05', ip: '10.81.0.5', name: 'web\ndhcp-script=/bin/sh' }] }), code: 'INVALID_REQUEST', field: 'plan.steps.0.reservations.0.name' },
  { what: 'reservations for a network whose dnsmasq does not run', line: apply({ op: 'dnsmasq.hosts', network: natSpec.name, bridge: natSpec.bridge, reservations: [] }), code: 'NOT_ALLOWED', field: 'plan.steps.0.network' },
  { what: 'reservations smuggling a whole spec', line: apply({ op: 'dnsmasq.hosts', network: natSpec.name, bridge: natSpec.bridge, reservations: [], spec: natSpec }), code: 'INVALID_REQUEST', field: 'plan.steps.0.spec' },
  { what: 'reservations on a bridge that is not the network\'s', line: apply({ op: 'dnsmasq.hosts', network: natSpec.name, bridge: 'eth0', reservations: [] }), code: 'NOT_OWNED', field: 'plan.steps.0.bridge' },
  {
    what: 'a valid libvirt plan whose last step touches a foreign network (nothing of it runs)',
    line: apply({ op: 'libvirt.define', spec: libvirtSpec }, { op: 'libvirt.start', network: libvirtSpec.name }, { op: 'libvirt.undefine', network: 'foreign' }),
    code: 'NOT_OWNED',
    field: 'plan.steps.2.network',
  },
];

describe.skipIf(skip)('bad requests for network-level steps', () => {
  let lab: Lab;
  let helper: HelperProcess;
  let before: HostState;

  beforeAll(async () => {
    lab = await startLab();
    await startLibvirtd(lab);
    await lab.sh('tee', ['/run/foreign.xml'], { input: "<network><name>foreign</name><bridge name='virbr9'/><ip address='10.89.0.1' netmask='255.255.255.0'/></network>" });
    await lab.sh('virsh', ['-c', 'qemu:///system', 'net-define', '/run/foreign.xml']);
    await lab.sh('virsh', ['-c', 'qemu:///system', 'net-start', 'foreign']);
    await lab.sh('ip', ['link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'uplink0']);
    helper = HelperProcess.start(lab);
    // ho runs (bridge, rules, dnsmasq); lab has its bridge only
    expect((await helper.apply([
      ...directUpSteps(hostonlySpec),
      { op: 'link.add', kind: 'bridge', name: natSpec.bridge, network: natSpec.name },
    ])).response).toMatchObject({ ok: true });
    // libvirt's bridge loses its carrier a moment after the network starts
    before = await settledHostState(lab);
  });
  afterAll(async () => {
    await helper?.close();
    await lab?.close();
  });

  it.each(BAD)('refuses $what with $code at $field', async ({ line, code, field }) => {
    const from = helper.messages.length;
    helper.sendLine(line);
    await helper.waitFor((messages) => messages.slice(from).some((m) => 'ok' in m));
    const answers = helper.messages.slice(from);
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({ ok: false, error: { code, field, message: expect.stringContaining(field) } });
  });

  // every refusal above came before anything ran: after all of them, the host (links, rules, dnsmasq, libvirt, files) is as it was
  it('changed nothing on the host', async () => {
    expect(await hostState(lab)).toEqual(before);
  });
});
