import { describe } from 'vitest';
import { guestUnavailableReason } from '../../lab/guest';
import { defineNetworkProofs } from './network-proofs';

const skip = await guestUnavailableReason();
if (skip) console.log(`skipped direct-backend network proofs with guests: ${skip}`);

describe.skipIf(skip)('virtual networks on the direct backend, proven with real guests', () => {
  defineNetworkProofs('direct');
});
