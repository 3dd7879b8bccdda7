import { describe } from 'vitest';
import { guestUnavailableReason } from '../../lab/guest';
import { warmUpLibvirt } from '../../lab/libvirtd';
import { defineNetworkProofs } from './network-proofs';

const skip = await guestUnavailableReason();
if (skip) console.log(`skipped libvirt-backend network proofs with guests: ${skip}`);

describe.skipIf(skip)('virtual networks on the libvirt backend, proven with real guests', () => {
  defineNetworkProofs('libvirt', { prepare: warmUpLibvirt });
});
