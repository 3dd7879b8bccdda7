import { randomBytes } from 'node:crypto';

/**
 * Bridges get a fixed MAC at creation. A bridge left with the kernel's random MAC takes the lowest
 * port MAC whenever ports join and all zeros when the last one leaves, so detaching a port could
 * never restore the bridge as it was; a set MAC stays put (systemd and libvirt do the same).
 */
export function macFromBytes(bytes: Uint8Array): string {
  if (bytes.length !== 6) throw new Error('a MAC address has 6 bytes');
  // locally administered (bit 1), unicast (bit 0 clear): cannot collide with a vendor MAC
  const first = ((bytes[0] ?? 0) & 0xfc) | 0x02;
  return [first, ...bytes.slice(1)].map((b) => b.toString(16).padStart(2, '0')).join(':');
}

export const randomBridgeMac = (): string => macFromBytes(randomBytes(6));
