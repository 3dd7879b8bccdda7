import { describe } from 'vitest';
import { guestUnavailableReason } from '../../lab/guest';
import { defineForwardProofs } from './forward-proofs';

const skip = await guestUnavailableReason();
if (skip) console.log(`skipped port forward proofs on the libvirt backend: ${skip}`);

describe.skipIf(skip)('port forwards, reservations and leases on a libvirt NAT network (the iptables rules of libvirt 9, and the nftables reject of libvirt 10 added by hand), with a real guest', () => {
  defineForwardProofs('libvirt', { subnet: '10.82.2.0/24', reserved: '10.82.2.50', mac: '52:54:00:6b:70:02', libvirtNftReject: true });
});
