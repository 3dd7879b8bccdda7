import type { HostSnapshot, Link } from '../core/host-snapshot';
import { LIBVIRT_URI } from '../host/read-libvirt';
import { formatTable } from './format-table';

/** admin state first: a link that is set down says so, whatever its carrier */
function linkState(link: Link): string {
  if (!link.up) return 'down';
  return link.operState === 'DOWN' ? 'no carrier' : link.operState.toLowerCase();
}

/** IPv6 link-local addresses are on every up link and say nothing here; --json has them */
const shownAddresses = (link: Link): string =>
  link.addresses.filter((a) => !(a.family === 'inet6' && a.scope === 'link')).map((a) => `${a.address}/${a.prefixLength}`).join(', ');

function interfaces(snapshot: HostSnapshot): string[] {
  const rows = snapshot.links.map((l) => [l.name, l.peer ? `${l.kind} (peer ${l.peer})` : l.kind, linkState(l), l.master ?? '', l.owner ?? '', shownAddresses(l)]);
  return ['Interfaces', ...formatTable([['NAME', 'KIND', 'STATE', 'MASTER', 'KVMNET NETWORK', 'ADDRESSES'], ...rows]).map((r) => `  ${r}`)];
}

function bridges(snapshot: HostSnapshot): string[] {
  const bridgeLinks = snapshot.links.filter((l) => l.kind === 'bridge');
  if (bridgeLinks.length === 0) return ['Bridges: none'];
  const rows = bridgeLinks.map((b) => {
    const ports = snapshot.links.filter((l) => l.master === b.name).map((l) => l.name);
    return [b.name, ports.length > 0 ? ports.join(', ') : '(no ports)'];
  });
  return ['Bridges', ...formatTable([['BRIDGE', 'PORTS'], ...rows]).map((r) => `  ${r}`)];
}

function defaultRoutes(snapshot: HostSnapshot): string[] {
  const routes = snapshot.routes.filter((r) => r.dst === 'default');
  if (routes.length === 0) return ['Default route: none'];
  return ['Default routes', ...routes.map((r) => `  ${r.family === 'inet' ? 'IPv4' : 'IPv6'} via ${r.gateway ?? '(direct)'}${r.dev ? ` dev ${r.dev}` : ''}`)];
}

function libvirt(snapshot: HostSnapshot): string[] {
  const state = snapshot.libvirt;
  if (!state.available) return [`Libvirt (${LIBVIRT_URI}): not available: ${state.reason ?? 'no reason given'}`];
  const networks = state.networks.map((n) => [n.name, n.active ? 'active' : 'inactive', n.autostart ? 'yes' : 'no', n.forwardMode ?? '', n.bridge ?? '', n.managedByKvmnet ? 'yes' : 'no']);
  const domains = state.domains.map((d) => [d.name, d.state, d.interfaces.map((i) => [i.type, i.source ?? i.target, i.mac].filter(Boolean).join(' ')).join('; ')]);
  return [
    `Libvirt (${LIBVIRT_URI})`,
    ...(networks.length === 0 ? ['  networks: none'] : formatTable([['NETWORK', 'STATE', 'AUTOSTART', 'FORWARD', 'BRIDGE', 'KVMNET'], ...networks]).map((r) => `  ${r}`)),
    ...(domains.length === 0 ? ['  domains: none'] : formatTable([['DOMAIN', 'STATE', 'INTERFACES'], ...domains]).map((r) => `  ${r}`)),
  ];
}

/** The human view of `kvmnet status`; `--json` prints the snapshot itself. */
export function formatStatus(snapshot: HostSnapshot): string {
  const sections = [[`Host ${snapshot.hostname} at ${snapshot.takenAt}`], interfaces(snapshot), bridges(snapshot), defaultRoutes(snapshot), libvirt(snapshot)];
  return `${sections.map((s) => s.join('\n')).join('\n\n')}\n`;
}
