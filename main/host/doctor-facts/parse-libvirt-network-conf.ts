/**
 * firewall_backend from /etc/libvirt/network.conf (libvirt 10.4 and later): `firewall_backend = "nftables"`.
 * null when the setting is absent or commented out, and libvirt picks its built-in default.
 */
export function parseFirewallBackend(text: string): string | null {
  for (const line of text.split('\n')) {
    const match = /^\s*firewall_backend\s*=\s*"([^"]*)"/.exec(line);
    if (match) return match[1]!;
  }
  return null;
}
