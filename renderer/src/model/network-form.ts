import type { NetworkKind } from '../../../main/core/network/network-spec';

/** The five things the wizard can make; "bridged" puts guests on the LAN through a host bridge. */
export const NETWORK_MODES = ['nat', 'hostonly', 'isolated', 'routed', 'bridged'] as const;
export type NetworkMode = (typeof NETWORK_MODES)[number];

export const BACKEND_CHOICES = ['auto', 'libvirt', 'direct'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/** What the user typed, as text: the validator, not the form, decides what is right. */
export interface NetworkForm {
  mode: NetworkMode;
  name: string;
  subnet: string;
  dhcpEnabled: boolean;
  dhcpStart: string;
  dhcpEnd: string;
  uplink: string;
  /** routed: guests take a slice of the uplink's LAN subnet, and the host answers ARP for them there */
  proxyArp: boolean;
  domain: string;
  mtu: string;
  ipv6Enabled: boolean;
  ipv6Subnet: string;
  backend: BackendChoice;
  bridge: string;
  autostart: boolean;
  /** bridged: seconds to confirm before the change undoes itself; empty for the default */
  confirmTimeout: string;
}

export function emptyForm(backend: BackendChoice = 'auto'): NetworkForm {
  return {
    mode: 'nat', name: '', subnet: '', dhcpEnabled: true, dhcpStart: '', dhcpEnd: '', uplink: '', proxyArp: false, domain: '', mtu: '',
    ipv6Enabled: false, ipv6Subnet: '', backend, bridge: '', autostart: true, confirmTimeout: '',
  };
}

/** Which inputs a mode has; the others are left out of its draft. */
export function modeFields(mode: NetworkMode) {
  const addressed = mode === 'nat' || mode === 'hostonly' || mode === 'routed';
  return {
    addresses: addressed,
    uplink: mode === 'nat' || mode === 'routed',
    uplinkRequired: mode === 'routed',
    proxyArp: mode === 'routed',
  };
}

const trimmed = (s: string) => s.trim();

export const isVirtualNetworkForm = (form: NetworkForm): form is NetworkForm & { mode: NetworkKind } => form.mode !== 'bridged';

/**
 * The form as a NetworkDraft (network-spec.ts) for the virtual-network modes (a bridge to the LAN
 * is not one: it has its own plan). Empty text means
 * "use the default"; text in the wrong shape still goes in, so the validator names the field.
 */
export function draftFromForm(form: NetworkForm & { mode: NetworkKind }): Record<string, unknown> {
  const kind: NetworkKind = form.mode;
  const fields = modeFields(form.mode);
  const draft: Record<string, unknown> = { name: trimmed(form.name), kind, autostart: form.autostart };
  if (form.backend !== 'auto') draft.backend = form.backend;
  if (trimmed(form.bridge)) draft.bridge = trimmed(form.bridge);
  if (fields.uplink && trimmed(form.uplink)) draft.uplink = trimmed(form.uplink);
  if (fields.proxyArp && form.proxyArp) draft.proxyArp = true;
  const mtu = trimmed(form.mtu);
  if (mtu) draft.mtu = /^[0-9]{1,9}$/.test(mtu) ? Number(mtu) : mtu;
  if (!fields.addresses) return draft;

  if (trimmed(form.subnet)) draft.ipv4 = { subnet: trimmed(form.subnet) };
  if (!form.dhcpEnabled) draft.dhcp = null;
  else if (trimmed(form.dhcpStart) || trimmed(form.dhcpEnd)) draft.dhcp = { start: trimmed(form.dhcpStart), end: trimmed(form.dhcpEnd) };
  if (trimmed(form.domain)) draft.domain = trimmed(form.domain);
  if (form.ipv6Enabled) draft.ipv6 = trimmed(form.ipv6Subnet) ? { subnet: trimmed(form.ipv6Subnet) } : {};
  return draft;
}

/** The input an issue belongs to: validator fields are dotted draft paths (ipv4.subnet, dhcp.start …). */
export type FormField = 'name' | 'subnet' | 'dhcpStart' | 'dhcpEnd' | 'uplink' | 'proxyArp' | 'domain' | 'mtu' | 'ipv6Subnet' | 'backend' | 'bridge' | 'general';

export function formFieldOf(issueField: string): FormField {
  switch (issueField) {
    case 'name': case 'uplink': case 'proxyArp': case 'domain': case 'mtu': case 'backend': case 'bridge':
      return issueField;
    case 'ipv4': case 'ipv4.subnet': case 'ipv4.gateway':
      return 'subnet';
    case 'dhcp': case 'dhcp.start':
      return 'dhcpStart';
    case 'dhcp.end':
      return 'dhcpEnd';
    case 'ipv6': case 'ipv6.subnet': case 'ipv6.gateway': case 'ipv6.dhcp':
      return 'ipv6Subnet';
    default:
      return 'general';
  }
}

/** the fields that live in the Advanced section, so it opens when one of them has a problem */
export const ADVANCED_FIELDS: readonly FormField[] = ['domain', 'mtu', 'ipv6Subnet', 'backend', 'bridge'];

/**
 * A validator message as it reads under its own field: the CLI's messages start with the field's
 * path ("ipv4.subnet 10.77.0.0/24 overlaps …") so a terminal user knows which option is meant;
 * under a labelled input the value alone says it ("10.77.0.0/24 overlaps …").
 */
export function messageUnderField(field: string, message: string): string {
  const prefix = [`${field}: `, `${field} `].find((p) => message.startsWith(p));
  if (!prefix) return message;
  const rest = message.slice(prefix.length);
  return /^["\d]/.test(rest) ? rest : message;
}
