import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HELPER_EXECUTABLE, SYSTEMD_UNIT_PATH, SYSTEMD_WANTS_PATH } from '../../../main/core/paths';
import { NetworkRecord } from '../../../main/core/network/network-record';
import { NODE_ENTRIES } from '../../../vite.node.config';
import { buildNodeBundle, type NodeBundle } from '../../lab/build-node-bundle';
import type { HostState } from '../../lab/host-state';
import { addLaptopLan } from '../../lab/laptop-lan';
import { labUnavailableReason, startLab, type Lab } from '../../lab/lab';
import { startCliLab } from '../cli/cli-lab';
import { addressesOf, hostState, linkOf, settledHostState, skipDuplicateAddressDetection, sysctlOf } from '../helper/host-checks';

const skip = labUnavailableReason();
if (skip) console.log(`skipped boot restore tests: ${skip}`);

/** what survives a reboot: KVMNet's records and state, and the boot unit with its enabling symlink */
const PERSISTENT = ['etc/kvmnet', SYSTEMD_UNIT_PATH.slice(1), SYSTEMD_WANTS_PATH.slice(1), 'var/lib/kvmnet'];

const UP = [
  { name: 'n1', kind: 'nat' },
  { name: 'n2', kind: 'hostonly' },
] as const;
/** created with --no-autostart: it ran before the reboot, and must stay down after it */
const DOWN = { name: 'n3', kind: 'hostonly' } as const;
/** a guest tap `sudo kvmnet attach n1 --print qemu` made for this user before the reboot */
const TAP = { name: 'kvt-n1-0', network: 'n1', user: '4242' } as const;

describe.skipIf(skip)('a reboot: the boot unit brings the direct networks back with kvmnet-helper --restore', () => {
  let helper: NodeBundle;
  let saved: string;
  let lab: Lab;
  /** bridge -> its addresses (without link-local ones) before the reboot */
  const addressesBefore = new Map<string, string[]>();
  const records = new Map<string, NetworkRecord>();
  const restore = () => lab.run(process.execPath, [helper.path, '--restore']);
  const globalAddresses = async (bridge: string) => (await addressesOf(lab, bridge)).filter((a) => !a.startsWith('fe80:'));

  beforeAll(async () => {
    saved = await mkdtemp(join(tmpdir(), 'kvmnet-reboot-'));
    const [bundle, cli] = await Promise.all([buildNodeBundle('kvmnet-helper', NODE_ENTRIES['kvmnet-helper']), startCliLab()]);
    helper = bundle;
    try {
      for (const { name, kind } of UP) {
        const r = await cli.kvmnet('create', kind, name, '--backend', 'direct');
        expect(r.exitCode, r.stderr).toBe(0);
      }
      const r = await cli.kvmnet('create', DOWN.kind, DOWN.name, '--backend', 'direct', '--no-autostart');
      expect(r.exitCode, r.stderr).toBe(0);
      const attached = await cli.lab.run(process.execPath, [cli.cliPath, 'attach', TAP.network, '--print', 'qemu'], { env: { SUDO_UID: TAP.user } });
      expect(attached.exitCode, attached.stderr).toBe(0);
      for (const { name } of [...UP, DOWN]) {
        const bridge = `kv-${name}`;
        addressesBefore.set(bridge, (await addressesOf(cli.lab, bridge)).filter((a) => !a.startsWith('fe80:')));
      }
      // binary through a text pipe: base64 inside the lab, the tar itself in a temp dir on this side
      const tar = await cli.lab.sh('sh', ['-c', 'cd / && tar -cf - "$@" | base64 -w0', 'tar', ...PERSISTENT]);
      await writeFile(join(saved, 'persistent.tar'), Buffer.from(tar, 'base64'));
    } finally {
      await cli.close();
    }

    lab = await startLab();
    // link-local addresses would otherwise get their local routes seconds later, in the middle of a comparison
    await skipDuplicateAddressDetection(lab);
    await addLaptopLan(lab); // the same LAN card as before the reboot
    await lab.sh('tar', ['-C', '/', '-xpf', '-'], { inputFile: join(saved, 'persistent.tar') });
    for (const name of [...UP.map((n) => n.name), DOWN.name]) {
      records.set(name, NetworkRecord.parse(JSON.parse(await lab.sh('cat', [`/etc/kvmnet/networks/${name}.json`]))));
    }
  }, 180_000);

  afterAll(async () => {
    await lab?.close();
    await helper?.remove();
    if (saved) await rm(saved, { recursive: true, force: true });
  });

  it('the machine comes up without any of it running, and the unit that systemd finds runs the helper with --restore', async () => {
    expect(await sysctlOf(lab, 'net/ipv4/ip_forward')).toBe('0');
    for (const name of records.keys()) expect(await linkOf(lab, `kv-${name}`), name).toBeUndefined();
    expect((await lab.run('nft', ['list', 'table', 'inet', 'kvmnet'])).exitCode).not.toBe(0);
    expect((await hostState(lab)).dnsmasq).toEqual([]);

    const unit = await lab.sh('cat', [SYSTEMD_UNIT_PATH]);
    expect(unit.split('\n').filter((l) => l.startsWith('ExecStart='))).toEqual([`ExecStart=${HELPER_EXECUTABLE} --restore`]);
    expect(unit).toMatch(/^WantedBy=multi-user\.target$/m);
    expect((await lab.sh('readlink', [SYSTEMD_WANTS_PATH])).trim()).toBe(SYSTEMD_UNIT_PATH);
  });

  it('--restore brings up each autostart network as it was (bridge, addresses, alias, firewall, forwarding, dnsmasq) and leaves the others down', async () => {
    const r = await restore();
    expect(r.exitCode, r.stderr).toBe(0);
    for (const { name } of UP) expect(r.stderr).toMatch(new RegExp(`: ${name}: up again \\(\\d+ steps\\)$`, 'm'));
    expect(r.stderr).toMatch(new RegExp(`: ${DOWN.name}: autostart is off; left down$`, 'm'));
    expect(r.stderr).toMatch(/restore finished: 2 brought up, 0 already up, 0 failed$/m);

    const table = await lab.sh('nft', ['list', 'table', 'inet', 'kvmnet']);
    for (const { name } of UP) {
      const { spec } = records.get(name)!;
      const link = await linkOf(lab, spec.bridge);
      expect(link, name).toMatchObject({ ifalias: `kvmnet:${name}`, flags: expect.arrayContaining(['UP']), linkinfo: { info_kind: 'bridge' } });
      expect(await globalAddresses(spec.bridge), name).toEqual(addressesBefore.get(spec.bridge));
      expect(await globalAddresses(spec.bridge), name).toContain(`${spec.ipv4!.gateway}/${spec.ipv4!.subnet.split('/')[1]}`);
      // no --ipv6: IPv6 off on the bridge again, so it gets no link-local address
      expect(await sysctlOf(lab, `net/ipv6/conf/${spec.bridge}/disable_ipv6`), name).toBe('1');
      expect(table, name).toContain(`comment "kvmnet:${name}"`);

      const pid = (await lab.sh('cat', [`/run/kvmnet/dnsmasq/${name}.pid`])).trim();
      const cmdline = (await lab.sh('cat', [`/proc/${pid}/cmdline`])).split('\0');
      expect(cmdline, name).toEqual(['/usr/sbin/dnsmasq', `--conf-file=/run/kvmnet/dnsmasq/${name}.conf`, '']);
      expect(JSON.parse(await lab.sh('cat', [`/run/kvmnet/dnsmasq/${name}.spec.json`])), name).toEqual(spec);
    }
    // the NAT network needs forwarding, and its record still remembers that it was off before
    expect(await sysctlOf(lab, 'net/ipv4/ip_forward')).toBe('1');
    const nat = UP[0].name;
    expect(records.get(nat)!.ipForwardBefore).toBe('0');
    expect(JSON.parse(await lab.sh('cat', [`/etc/kvmnet/networks/${nat}.json`]))).toEqual(records.get(nat));

    // the guest's tap is back, the user's again, on its bridge: the QEMU command line saved before the reboot still works
    expect(await linkOf(lab, TAP.name)).toMatchObject({ ifalias: `kvmnet:${TAP.network}`, master: `kv-${TAP.network}`, flags: expect.arrayContaining(['UP']) });
    expect((await lab.sh('cat', [`/sys/class/net/${TAP.name}/owner`])).trim()).toBe(TAP.user);

    expect(await linkOf(lab, records.get(DOWN.name)!.spec.bridge)).toBeUndefined();
    expect((await lab.run('test', ['-e', `/run/kvmnet/dnsmasq/${DOWN.name}.pid`])).exitCode).not.toBe(0);
    expect((await hostState(lab)).dnsmasq).toHaveLength(UP.length);
  });

  // The network set the table is rendered from lives under /run, as the kernel's table does: a
  // network running before the reboot but not autostarted must not come back with the others' rules.
  it('the network left down has no firewall rules either', async () => {
    expect(await lab.sh('nft', ['list', 'table', 'inet', 'kvmnet'])).not.toContain(`kvmnet:${DOWN.name}`);
  });

  it('a second --restore finds everything up and changes nothing', async () => {
    const first: HostState = await settledHostState(lab);
    const r = await restore();
    expect(r.exitCode, r.stderr).toBe(0);
    for (const { name } of UP) expect(r.stderr).toMatch(new RegExp(`: ${name}: already up \\(bridge kv-${name} exists\\)$`, 'm'));
    expect(r.stderr).toMatch(/restore finished: 0 brought up, 2 already up, 0 failed$/m);
    expect(await hostState(lab)).toEqual(first);
  });
});
