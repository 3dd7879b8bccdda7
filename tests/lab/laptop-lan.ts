import type { Lab } from './lab';

/**
 * The laptop's LAN card for labs that need no router beyond a gateway that exists: eth0 at
 * 192.168.50.2/24 with the default route via .1, a veth peer standing in for the router. It is
 * the uplink of routed networks and the route NAT leaves by. (tests/lab/topology.ts builds a
 * real router and upstream where traffic must flow.)
 */
export const LAPTOP_LAN = {
  address: '192.168.50.2/24',
  gateway: '192.168.50.1',
  batch: `
link add eth0 type veth peer name router0
link set eth0 up
link set router0 up
addr add 192.168.50.2/24 dev eth0
addr add 192.168.50.1/24 dev router0
route add default via 192.168.50.1 dev eth0
`,
} as const;

export async function addLaptopLan(lab: Lab): Promise<void> {
  await lab.sh('ip', ['-batch', '-'], { input: LAPTOP_LAN.batch });
}

/**
 * Waits until links, addresses and routes stop changing: a bridge without ports loses its carrier
 * a moment after it comes up, and IPv6 link-local addresses (with their routes) finish duplicate
 * address detection later still. Host-state comparisons are only meaningful after that.
 */
export async function settleLinks(lab: Lab): Promise<void> {
  const read = () => lab.sh('sh', ['-c', 'ip -o link; ip -o addr; ip route show table all; ip -6 route show table all']);
  let last = '';
  for (let i = 0; i < 100; i++) {
    const now = await read();
    if (now === last && !now.includes('tentative')) return;
    last = now;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error("the lab's links, addresses and routes kept changing for 25 s");
}
