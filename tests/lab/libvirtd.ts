import type { Lab } from './lab';

/** where libvirtd keeps state; tmpfs over each hides the machine's own networks and domains */
const LIBVIRT_DIRS = ['/run/libvirt', '/etc/libvirt/qemu/networks', '/var/lib/libvirt', '/var/log/libvirt', '/var/cache/libvirt'];

export const LAB_LIBVIRT_URI = 'qemu:///system';

/**
 * Starts libvirtd inside the lab on empty state and waits until it answers. It dies with the lab.
 * The lab's copy-on-write trees already keep its writes off the machine; the tmpfs mounts make
 * it start from nothing, as on a fresh install.
 */
export async function startLibvirtd(lab: Lab): Promise<void> {
  await lab.sh('mkdir', ['-p', ...LIBVIRT_DIRS]);
  for (const dir of LIBVIRT_DIRS) await lab.sh('mount', ['-t', 'tmpfs', 'tmpfs', dir]);
  await lab.sh('mkdir', ['-p', '/var/lib/libvirt/dnsmasq']);
  await lab.sh('libvirtd', ['-d', '--pid-file=/run/libvirt/lab.pid']);

  let last = '';
  for (let i = 0; i < 200; i++) {
    // net-list, not version: version would make libvirtd probe QEMU first (seconds under TCG)
    const r = await lab.run('virsh', ['-c', LAB_LIBVIRT_URI, 'net-list', '--all', '--name']);
    if (r.exitCode === 0) return;
    last = r.stderr.trim();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`libvirtd did not answer in the lab: ${last}`);
}

/**
 * libvirt adds its own firewall chains and turns ip_forward on the first time it starts a NAT
 * network, and never undoes either, as on every host where libvirt has run a network. A
 * throw-away NAT network started and destroyed first puts the lab in that state, so a "before"
 * snapshot already holds it and a comparison after `kvmnet delete` sees only what KVMNet changed.
 */
export async function warmUpLibvirt(lab: Lab): Promise<void> {
  await lab.sh('sh', ['-c', 'cat > /run/warmup.xml'], {
    input: "<network><name>warmup</name><forward mode='nat'/><bridge name='virbr9'/><ip address='10.99.0.1' netmask='255.255.255.0'/></network>",
  });
  await lab.sh('virsh', ['-c', LAB_LIBVIRT_URI, 'net-create', '/run/warmup.xml']);
  await lab.sh('virsh', ['-c', LAB_LIBVIRT_URI, 'net-destroy', 'warmup']);
}
