import { describe } from 'vitest';
import { guestUnavailableReason } from '../../lab/guest';
import type { Lab } from '../../lab/lab';
import { LAB_LIBVIRT_URI } from '../../lab/libvirtd';
import { defineNetworkProofs } from './network-proofs';

const skip = await guestUnavailableReason();
if (skip) console.log(`skipped libvirt-backend network proofs with guests: ${skip}`);

/**
 * libvirt adds its own firewall chains and turns ip_forward on the first time it starts a NAT
 * network, and never undoes either, as on every host where libvirt has run a network. A
 * throw-away NAT network started and destroyed first puts the laptop in that state, so each
 * "before" snapshot already holds it and the comparison after `kvmnet delete` sees only what
 * KVMNet changed.
 */
async function warmUpLibvirt(lab: Lab): Promise<void> {
  await lab.sh('sh', ['-c', 'cat > /run/warmup.xml'], {
    input: "<network><name>warmup</name><forward mode='nat'/><bridge name='virbr9'/><ip address='10.99.0.1' netmask='255.255.255.0'/></network>",
  });
  await lab.sh('virsh', ['-c', LAB_LIBVIRT_URI, 'net-create', '/run/warmup.xml']);
  await lab.sh('virsh', ['-c', LAB_LIBVIRT_URI, 'net-destroy', 'warmup']);
}

describe.skipIf(skip)('virtual networks on the libvirt backend, proven with real guests', () => {
  defineNetworkProofs('libvirt', { prepare: warmUpLibvirt });
});
