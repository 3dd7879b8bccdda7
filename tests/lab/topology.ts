import type { Options } from 'execa';
import { fileURLToPath } from 'node:url';
import { startLab, type Lab } from './lab';

/** "The internet": one web server behind the home router. Documentation range, never routed outside. */
export const UPSTREAM = {
  subnet: '198.51.100.0/24',
  routerAddress: '198.51.100.1',
  host: '198.51.100.10',
  marker: 'kvmnet-upstream-marker',
  markerUrl: 'http://198.51.100.10/marker',
} as const;

/**
 * The home LAN between the router and the laptop's eth0: TEST-NET-3, as in the NetworkManager lab,
 * because the machines of this project sit on TEST-NET-1 themselves.
 */
export const LAN = {
  subnet: '203.0.113.0/24',
  prefix: 24,
  router: '203.0.113.1',
  /** the laptop's address in both uplink modes: DHCP hands it out for laptopMac */
  laptop: '203.0.113.2',
  laptopMac: '02:6b:76:00:02:02',
  dhcpRange: ['203.0.113.100', '203.0.113.199'],
} as const;

/** The network namespaces inside the lab; the laptop is the lab's own. */
export const NAMESPACES = { router: 'router', upstream: 'upstream' } as const;

const STATE_DIR = '/run/kvmnet-lab-topology';
const UDHCPC_SCRIPT = fileURLToPath(new URL('./guest/udhcpc.sh', import.meta.url));

type RunResult = Awaited<ReturnType<Lab['run']>>;
export type FetchResult = { ok: true; body: string } | { ok: false; error: string };

/** One machine of the topology: commands run in its network namespace, inside the lab. */
export interface LabHost {
  readonly name: string;
  run(file: string, args?: readonly string[], options?: Options): Promise<RunResult>;
  sh(file: string, args?: readonly string[], options?: Options): Promise<string>;
  /** HTTP GET from this host with busybox wget: the body (without its final newline), or why it failed */
  fetch(url: string, timeoutSeconds?: number): Promise<FetchResult>;
}

export interface Router extends LabHost {
  /** route a subnet to the laptop (or another LAN address), as a user would for a routed network */
  addRoute(cidr: string, via?: string): Promise<void>;
  /** HTTP GET of http://ip:port/path from the router, as another machine of the LAN would */
  fetchFrom(ip: string, port: number, path?: string): Promise<FetchResult>;
  /** the leases the router's dnsmasq has handed out on the LAN */
  leases(): Promise<{ mac: string; ip: string }[]>;
}

export interface Topology {
  /** the laptop: the lab's own namespace, where KVMNet, libvirtd and the guests run */
  readonly lab: Lab;
  readonly laptop: LabHost & { readonly uplink: 'eth0' };
  readonly router: Router;
  readonly upstream: LabHost;
  /** ends the lab, and with it both namespaces and every process in them */
  close(): Promise<void>;
}

export interface TopologyOptions {
  /**
   * How the laptop's eth0 gets LAN.laptop: 'static' (default, quickest) or 'dhcp' from the
   * router's dnsmasq with busybox udhcpc (what the "bridge to LAN" tests need: a bridge that
   * takes over eth0 must renew the lease itself).
   */
  uplink?: 'static' | 'dhcp';
}

function host(name: string, run: LabHost['run']): LabHost {
  return {
    name,
    run,
    async sh(file, args = [], options = {}) {
      const r = await run(file, args, options);
      if (r.exitCode !== 0) throw new Error(`${name}: ${file} ${args.join(' ')} failed (${r.exitCode}): ${r.stderr.trim()}`);
      return r.stdout;
    },
    async fetch(url, timeoutSeconds = 5) {
      // timeout(1), not wget -T: busybox-static's wget crashes with -T
      const r = await run('timeout', [String(timeoutSeconds), 'busybox', 'wget', '-q', '-O', '-', url]);
      if (r.exitCode === 0) return { ok: true, body: r.stdout };
      return { ok: false, error: r.exitCode === 124 ? `no answer within ${timeoutSeconds} s` : r.stderr.trim() || `wget exited ${r.exitCode}` };
    },
  };
}

function inNamespace(lab: Lab, name: string): LabHost {
  return host(name, (file, args = [], options = {}) => lab.run('ip', ['netns', 'exec', name, file, ...args], options));
}

// counter: the self-test proves that the laptop's traffic really went through this rule
const ROUTER_NAT = `table ip kvmnet_lab_router {
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    oifname "wan0" counter masquerade
  }
}
`;

async function untilFetched(from: LabHost, url: string): Promise<void> {
  let last: FetchResult = { ok: false, error: 'not tried' };
  for (let i = 0; i < 50 && !last.ok; i++) {
    last = await from.fetch(url, 1);
    if (!last.ok) await new Promise((r) => setTimeout(r, 50));
  }
  if (!last.ok) throw new Error(`${url} not reachable from ${from.name}: ${last.error}`);
}

/**
 * The three-host lab of docs/test-lab.md: upstream ("the internet", an HTTP server) ← router
 * (DHCP for the LAN, NAT, default route to upstream) ← laptop (the lab itself, uplink eth0).
 * Router and upstream are `ip netns` namespaces made inside the lab's private mount namespace,
 * so their names and their processes end with the lab.
 */
export async function startTopology(options: TopologyOptions = {}): Promise<Topology> {
  const lab = await startLab();
  try {
    const laptop = { ...host('laptop', lab.run), uplink: 'eth0' as const };
    const upstream = inNamespace(lab, NAMESPACES.upstream);
    const routerHost = inNamespace(lab, NAMESPACES.router);
    const router: Router = {
      ...routerHost,
      async addRoute(cidr, via = LAN.laptop) { await routerHost.sh('ip', ['route', 'add', cidr, 'via', via]); },
      fetchFrom: (ip, port, path = '/') => routerHost.fetch(`http://${ip}:${port}${path}`),
      async leases() {
        // dnsmasq's lease file: expiry mac ip hostname client-id, one lease a line
        const text = (await lab.run('cat', [`${STATE_DIR}/router.leases`])).stdout;
        return text.split('\n').map((l) => l.split(' ')).filter((f) => f.length >= 3).map((f) => ({ mac: f[1]!, ip: f[2]! }));
      },
    };

    await lab.sh('mkdir', ['-p', `${STATE_DIR}/upstream-www`]);
    for (const name of Object.values(NAMESPACES)) await lab.sh('ip', ['netns', 'add', name]);
    const batch = (namespace: string[], lines: string[]) => lab.sh('ip', [...namespace, '-batch', '-'], { input: lines.join('\n') });
    await batch([], [`link add eth0 address ${LAN.laptopMac} type veth peer name lan0 netns ${NAMESPACES.router}`, 'link set eth0 up']);
    await batch(['-n', NAMESPACES.router], [
      `link add wan0 type veth peer name eth0 netns ${NAMESPACES.upstream}`,
      'link set lo up',
      `addr add ${LAN.router}/${LAN.prefix} dev lan0`,
      'link set lan0 up',
      `addr add ${UPSTREAM.routerAddress}/24 dev wan0`,
      'link set wan0 up',
      `route add default via ${UPSTREAM.host}`,
    ]);
    await batch(['-n', NAMESPACES.upstream], ['link set lo up', `addr add ${UPSTREAM.host}/24 dev eth0`, 'link set eth0 up']);
    await router.sh('sysctl', ['-qw', 'net.ipv4.ip_forward=1']);
    await router.sh('nft', ['-f', '-'], { input: ROUTER_NAT });
    await router.sh('dnsmasq', [
      '--conf-file=/dev/null', '--port=0', '--interface=lan0', '--bind-interfaces', '--dhcp-authoritative',
      // dnsmasq pings an address for up to 3 s before offering it; nobody else is on this LAN
      '--no-ping',
      `--dhcp-range=${LAN.dhcpRange[0]},${LAN.dhcpRange[1]},255.255.255.0,1h`,
      `--dhcp-host=${LAN.laptopMac},${LAN.laptop}`,
      `--dhcp-option=option:router,${LAN.router}`,
      `--dhcp-leasefile=${STATE_DIR}/router.leases`, `--pid-file=${STATE_DIR}/router-dnsmasq.pid`,
    ]);
    await lab.sh('tee', [`${STATE_DIR}/upstream-www/marker`], { input: `${UPSTREAM.marker}\n` });
    await upstream.sh('busybox', ['httpd', '-p', '80', '-h', `${STATE_DIR}/upstream-www`]);

    if (options.uplink === 'dhcp') {
      // a copy in the lab's private /run: udhcpc needs an executable script, whatever the checkout's modes
      await lab.sh('install', ['-m', '0755', UDHCPC_SCRIPT, `${STATE_DIR}/udhcpc.script`]);
      await lab.sh('busybox', ['udhcpc', '-i', 'eth0', '-f', '-q', '-n', '-t', '10', '-T', '1', '-s', `${STATE_DIR}/udhcpc.script`]);
    } else {
      await lab.sh('ip', ['addr', 'add', `${LAN.laptop}/${LAN.prefix}`, 'dev', 'eth0']);
      await lab.sh('ip', ['route', 'add', 'default', 'via', LAN.router]);
    }
    // busybox httpd binds after it daemonizes: wait until the whole path answers
    await untilFetched(laptop, UPSTREAM.markerUrl);
    return { lab, laptop, router, upstream, close: () => lab.close() };
  } catch (e) {
    await lab.close();
    throw e;
  }
}
