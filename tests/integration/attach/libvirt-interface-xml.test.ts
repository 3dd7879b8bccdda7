import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderLibvirtInterfaceXml, type LibvirtInterface } from '../../../main/core/attach/libvirt-interface-xml';
import { NIC_MODELS } from '../../../main/core/attach/nic-model';
import { inCi, missingToolsReason } from './required-tools';

/**
 * The `<interface>` KVMNet renders, inside a minimal domain: checked against libvirt's own schema
 * (virt-xml-validate) and read by libvirt's own parser (virsh on the test driver, which needs no
 * daemon and keeps its guests in memory for one virsh run).
 */

const reason = missingToolsReason([['virt-xml-validate', 'libvirt-clients'], ['xmllint', 'libxml2-utils'], ['virsh', 'libvirt-clients']]);
if (reason && !inCi) console.log(`skipped libvirt interface XML checks: ${reason}`);

describe.skipIf(reason !== undefined && !inCi)('libvirt tools for interface XML', () => {
  it('are installed (CI installs them, so there a missing one is a failure)', () => {
    expect(reason).toBeUndefined();
  });
});

const domainWith = (iface: string, type: 'qemu' | 'test' = 'qemu') =>
  [
    `<domain type="${type}">`,
    '  <name>kvmnet-probe</name>',
    '  <memory unit="MiB">64</memory>',
    '  <os>',
    '    <type arch="x86_64">hvm</type>',
    '  </os>',
    '  <devices>',
    iface.trimEnd().replace(/^/gm, '    '),
    '  </devices>',
    '</domain>',
    '',
  ].join('\n');

const matrix: [string, LibvirtInterface][] = NIC_MODELS.flatMap((model, i) => [
  [`network, ${model}`, { source: { type: 'network', network: 'default' }, model, mac: `52:54:00:3a:7c:1${i}` }],
  [`bridge, ${model}, named tap`, { source: { type: 'bridge', bridge: 'kv-lab' }, model, mac: `52:54:00:3a:7c:2${i}`, target: `kvt-web${i}` }],
]);

describe.skipIf(reason !== undefined)('libvirt interface XML, checked by libvirt', () => {
  let dir: string;
  beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'kvmnet-iface-')); });
  afterAll(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

  const file = async (name: string, xml: string) => {
    const path = join(dir, `${name}.xml`);
    await writeFile(path, xml);
    return path;
  };
  const validate = async (name: string, xml: string) => execa('virt-xml-validate', [await file(name, xml), 'domain'], { reject: false, all: true });
  /** define the domain on the test driver and print libvirt's own copy of it */
  const defineAndDump = async (name: string, xml: string) =>
    execa('virsh', ['-c', 'test:///default', `define ${await file(name, xml)}; dumpxml kvmnet-probe`], { reject: false, all: true });

  it.each(matrix)('%s passes the domain schema', async (label, nic) => {
    const result = await validate(label.replace(/\W+/g, '-'), domainWith(renderLibvirtInterfaceXml(nic)));
    expect(result.exitCode, result.all).toBe(0);
  });

  it('the schema catches a multicast MAC (the check can fail)', async () => {
    const xml = renderLibvirtInterfaceXml(matrix[0]![1]).replace('52:54:00', '01:54:00');
    const result = await validate('multicast', domainWith(xml));
    expect(result.exitCode).not.toBe(0);
    expect(result.all).toMatch(/fails to validate/);
  });

  it.each(matrix)('%s reads back from libvirt as written', async (label, nic) => {
    const result = await defineAndDump(`${label.replace(/\W+/g, '-')}-test`, domainWith(renderLibvirtInterfaceXml(nic), 'test'));
    expect(result.exitCode, result.all).toBe(0);
    const source = nic.source.type === 'network' ? `network='${nic.source.network}'` : `bridge='${nic.source.bridge}'`;
    expect(result.stdout).toContain(`<interface type='${nic.source.type}'>`);
    expect(result.stdout).toContain(`<mac address='${nic.mac}'/>`);
    expect(result.stdout).toContain(`<source ${source}/>`);
    expect(result.stdout).toContain(`<model type='${nic.model}'/>`);
    if (nic.target) expect(result.stdout).toContain(`<target dev='${nic.target}'/>`);
  });

  it('libvirt renames a tap named like its own, which is why such targets are refused', async () => {
    const xml = renderLibvirtInterfaceXml({ ...matrix[1]![1], target: 'kvt-web0' }).replace('kvt-web0', 'vnet5');
    const result = await defineAndDump('vnet-target', domainWith(xml, 'test'));
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stdout).not.toContain("<target dev='vnet5'/>");
  });
});
