import { KvmnetError } from '../../core/kvmnet-error';
import { NmProfile, NmUplink, type NmActiveIp, type NmRoute } from '../../core/bridge-to-lan/nm-profile';
import { explainNmFailure, runOnHost, type NmCommandFailure, type RunCommand } from './nm-command';
import { parseTerseProperties } from './terse-output';

type Properties = ReturnType<typeof parseTerseProperties>;

/** settings to read, plus the runtime IP4/IP6 sections that nmcli adds for an active profile */
const CONNECTION_SHOW_FIELDS = 'connection,802-3-ethernet,ipv4,ipv6,GENERAL,IP4,IP6';

const list = (value: string | undefined): string[] => (value ? value.split(/,\s*/) : []);
const yes = (value: string | undefined): boolean => value === 'yes';

function integer(p: Properties, key: string, fallback: number): number {
  const value = p.one(key);
  return value === undefined || !/^-?\d+$/.test(value) ? fallback : Number(value);
}

function ipSettings(p: Properties, family: 'ipv4' | 'ipv6') {
  return {
    method: p.one(`${family}.method`) ?? 'disabled',
    addresses: list(p.one(`${family}.addresses`)),
    gateway: p.one(`${family}.gateway`),
    dns: list(p.one(`${family}.dns`)),
    dnsSearch: list(p.one(`${family}.dns-search`)),
    routes: list(p.one(`${family}.routes`)),
    routeMetric: integer(p, `${family}.route-metric`, -1),
    neverDefault: yes(p.one(`${family}.never-default`)),
    ignoreAutoDns: yes(p.one(`${family}.ignore-auto-dns`)),
    ignoreAutoRoutes: yes(p.one(`${family}.ignore-auto-routes`)),
    mayFail: p.one(`${family}.may-fail`) !== 'no',
  };
}

/** "dst = 0.0.0.0/0, nh = 203.0.113.1, mt = 100" */
function parseActiveRoute(text: string): NmRoute | undefined {
  const fields = Object.fromEntries(text.split(/,\s*/).map((part) => part.split(/\s*=\s*/, 2) as [string, string]));
  if (fields.dst === undefined || fields.nh === undefined || !/^\d+$/.test(fields.mt ?? '')) return undefined;
  return { dst: fields.dst, nextHop: fields.nh, metric: Number(fields.mt) };
}

function activeIp(p: Properties, section: 'IP4' | 'IP6'): NmActiveIp {
  return {
    addresses: p.all(`${section}.ADDRESS`),
    gateway: p.one(`${section}.GATEWAY`),
    dns: p.all(`${section}.DNS`),
    routes: p.all(`${section}.ROUTE`).flatMap((r) => parseActiveRoute(r) ?? []),
  };
}

/** A profile from `nmcli -t -e yes -f <CONNECTION_SHOW_FIELDS> connection show uuid <uuid>`. */
export function parseConnectionShow(text: string): { profile: NmProfile; active: { ipv4: NmActiveIp; ipv6: NmActiveIp } } {
  const p = parseTerseProperties(text);
  const mtu = p.one('802-3-ethernet.mtu');
  const profile = NmProfile.parse({
    uuid: p.one('connection.uuid'),
    id: p.one('connection.id') ?? '',
    type: p.one('connection.type'),
    interfaceName: p.one('connection.interface-name'),
    autoconnect: yes(p.one('connection.autoconnect')),
    autoconnectPriority: integer(p, 'connection.autoconnect-priority', 0),
    // NetworkManager 1.46 renamed master to controller; nmcli prints whichever its version knows
    controller: p.one('connection.controller') ?? p.one('connection.master'),
    ethernet: {
      macAddress: p.one('802-3-ethernet.mac-address'),
      clonedMacAddress: p.one('802-3-ethernet.cloned-mac-address'),
      mtu: mtu && /^\d+$/.test(mtu) && mtu !== '0' ? Number(mtu) : undefined,
    },
    ipv4: { ...ipSettings(p, 'ipv4'), dhcpClientId: p.one('ipv4.dhcp-client-id'), dhcpHostname: p.one('ipv4.dhcp-hostname') },
    ipv6: { ...ipSettings(p, 'ipv6'), addrGenMode: p.one('ipv6.addr-gen-mode') },
  });
  return { profile, active: { ipv4: activeIp(p, 'IP4'), ipv6: activeIp(p, 'IP6') } };
}

const DEVICE_SHOW_FIELDS = 'GENERAL.DEVICE,GENERAL.HWADDR,GENERAL.STATE,GENERAL.CON-UUID';

async function nmcli(run: RunCommand, args: readonly string[]): Promise<string> {
  try {
    return await run('nmcli', ['-t', '-e', 'yes', ...args]);
  } catch (e) {
    throw new KvmnetError('NM_UNAVAILABLE', explainNmFailure('nmcli', e as NmCommandFailure));
  }
}

/**
 * The device with the profile NetworkManager runs on it: where a bridge must take its MAC and
 * addressing from. Throws, naming the device, when NM does not run a profile on it.
 */
export async function readUplink(device: string, run: RunCommand = runOnHost): Promise<NmUplink> {
  const general = parseTerseProperties(await nmcli(run, ['-f', DEVICE_SHOW_FIELDS, 'device', 'show', device]));
  const uuid = general.one('GENERAL.CON-UUID');
  if (!uuid) {
    throw new KvmnetError('BAD_REQUEST', `uplink: NetworkManager runs no profile on ${device} (${general.one('GENERAL.STATE') ?? 'unknown state'}); connect it first`, 'uplink');
  }
  const { profile, active } = parseConnectionShow(await nmcli(run, ['-f', CONNECTION_SHOW_FIELDS, 'connection', 'show', 'uuid', uuid]));
  return NmUplink.parse({ device, mac: general.one('GENERAL.HWADDR'), profile, active });
}
