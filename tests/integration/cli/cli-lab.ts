import { chmod } from 'node:fs/promises';
import { dirname } from 'node:path';
import { buildNodeBundle, type NodeBundle } from '../../lab/build-node-bundle';
import { readHostState, type HostState } from '../../lab/host-state';
import { startLab, type Lab } from '../../lab/lab';
import { addLaptopLan, settleLinks } from '../../lab/laptop-lan';
import { startLibvirtd } from '../../lab/libvirtd';
import { NODE_ENTRIES } from '../../../vite.node.config';

/**
 * A laptop for the kvmnet CLI: eth0 on a LAN (tests/lab/laptop-lan.ts), a route 10.60.0.0/16 into
 * a VPN, and a bridge br-foreign that something else made. The CLI runs as root inside, so it
 * applies in-process.
 */
const EXTRAS = `
route add 10.60.0.0/16 via 192.168.50.1 dev eth0
link add br-foreign type bridge
`;

export interface CliLab {
  lab: Lab;
  /** the CLI bundle, readable by every user (for runs as an unprivileged user) */
  cliPath: string;
  /** waits until links, addresses and routes stop changing (carrier, IPv6 duplicate address detection) */
  settle(): Promise<void>;
  kvmnet(...args: string[]): Promise<{ stdout: string; stderr: string; exitCode: number }>;
  /** readHostState without packet counters: iptables-nft counts the lab's own IPv6 chatter in libvirt's rules */
  state(): Promise<HostState>;
  close(): Promise<void>;
}

export async function startCliLab(options: { libvirtd?: boolean } = {}): Promise<CliLab> {
  const [built, lab] = await Promise.all([buildNodeBundle('kvmnet', NODE_ENTRIES.kvmnet), startLab()]) as [NodeBundle, Lab];
  try {
    await addLaptopLan(lab);
    await lab.sh('ip', ['-batch', '-'], { input: EXTRAS });
    // a machine without libvirtd must not reach the machine's own through a shared /run/libvirt
    if (options.libvirtd) await startLibvirtd(lab);
    else await lab.sh('mount', ['-t', 'tmpfs', 'tmpfs', '/run/libvirt']).catch(async () => {
      await lab.sh('mkdir', ['-p', '/run/libvirt']);
      await lab.sh('mount', ['-t', 'tmpfs', 'tmpfs', '/run/libvirt']);
    });
  } catch (e) {
    await lab.close();
    await built.remove();
    throw e;
  }
  const settle = () => settleLinks(lab);
  await settle();
  await chmod(dirname(built.path), 0o755);
  return {
    lab,
    cliPath: built.path,
    settle,
    kvmnet: (...args) => lab.run(process.execPath, [built.path, ...args]),
    state: async () => {
      const host = await readHostState(lab);
      return { ...host, nftables: host.nftables.replace(/counter packets \d+ bytes \d+/g, 'counter') };
    },
    async close() {
      await lab.close();
      await built.remove();
    },
  };
}
