import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { renderLibvirtNetworkXml } from '../../../main/core/render/libvirt-network-xml';
import { specMatrix } from '../../unit/core/render/spec-matrix';

/**
 * Every XML the renderer writes must pass libvirt's own schema, checked by `virt-xml-validate`
 * (package libvirt-clients, which runs xmllint from libxml2-utils). Nothing here touches the
 * network, so no lab is needed. CI installs both packages; there a missing tool fails the test.
 */

const onPath = (tool: string) =>
  (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, tool), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });

const missing = [
  ['virt-xml-validate', 'libvirt-clients'],
  ['xmllint', 'libxml2-utils'],
].filter(([tool]) => !onPath(tool as string));
const reason = missing.length ? `not installed: ${missing.map(([tool, pkg]) => `${tool} (Debian package ${pkg})`).join(', ')}` : undefined;
const inCi = Boolean(process.env.CI);
if (reason && !inCi) console.log(`skipped libvirt XML validation: ${reason}`);

describe.skipIf(reason !== undefined && !inCi)('libvirt XML validation tools', () => {
  it('are installed (CI installs them, so there a missing one is a failure)', () => {
    expect(reason).toBeUndefined();
  });
});

describe.skipIf(reason !== undefined)('libvirt network XML against libvirt schema', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kvmnet-xml-'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const validate = async (name: string, xml: string) => {
    const file = join(dir, `${name}.xml`);
    await writeFile(file, xml);
    return execa('virt-xml-validate', [file, 'network'], { reject: false, all: true });
  };

  it.each(specMatrix.map((s) => [s.label, s.spec] as const))('%s', async (_label, spec) => {
    const result = await validate(spec.name, renderLibvirtNetworkXml(spec, { uuid: '6579db1f-ca49-4e51-a116-c1342cd5d47a' }));
    expect(result.exitCode, result.all).toBe(0);
  });

  it('catches XML libvirt would refuse (the check can fail)', async () => {
    const xml = renderLibvirtNetworkXml(specMatrix[0]?.spec as never).replace('mode="nat"', 'mode="masquerade"');
    const result = await validate('broken', xml);
    expect(result.exitCode).not.toBe(0);
    expect(result.all).toMatch(/fails to validate/);
  });
});
