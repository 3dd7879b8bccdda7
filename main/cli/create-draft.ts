import type { FieldIssue } from '../core/network/field-issue';
import { MTU_MAX, MTU_MIN, NETWORK_KINDS } from '../core/network/network-spec';

/** `kvmnet create` options as commander gives them. */
export interface CreateOptions {
  subnet?: string;
  /** a START-END range, or false for --no-dhcp */
  dhcp?: string | false;
  uplink?: string;
  bridge?: string;
  backend?: string;
  domain?: string;
  mtu?: string;
  /** true for a bare --ipv6 (a subnet is picked), else the subnet */
  ipv6?: string | true;
  /** --proxy-arp: routed onto a slice of the uplink's own LAN subnet */
  proxyArp?: boolean;
  /** false for --no-autostart */
  autostart: boolean;
  dryRun?: boolean;
  json?: boolean;
}

const DHCP_RANGE = /^([^\s-]+)-([^\s-]+)$/;

/**
 * The network draft a command line asks for, and what is wrong with the command line itself (the
 * shape of --dhcp and --mtu, the kind). A value in the wrong shape is left out of the draft, so
 * validateNetwork reports only the rest.
 */
export function draftFromOptions(kind: string, name: string, options: CreateOptions): { draft: Record<string, unknown>; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const draft: Record<string, unknown> = { name };
  if ((NETWORK_KINDS as readonly string[]).includes(kind)) draft.kind = kind;
  else issues.push({ field: 'kind', message: `kind ${JSON.stringify(kind)} is not a network kind; use one of ${NETWORK_KINDS.join(', ')}` });

  if (options.subnet !== undefined) draft.ipv4 = { subnet: options.subnet };
  if (options.dhcp === false) {
    draft.dhcp = null;
  } else if (options.dhcp !== undefined) {
    const range = DHCP_RANGE.exec(options.dhcp);
    if (range) draft.dhcp = { start: range[1], end: range[2] };
    else issues.push({ field: 'dhcp', message: `dhcp ${JSON.stringify(options.dhcp)} is not a range; write it as START-END, e.g. 10.80.0.100-10.80.0.200, or use --no-dhcp` });
  }
  for (const key of ['uplink', 'bridge', 'backend', 'domain'] as const) {
    if (options[key] !== undefined) draft[key] = options[key];
  }
  if (options.mtu !== undefined) {
    if (/^[0-9]{1,9}$/.test(options.mtu)) draft.mtu = Number(options.mtu);
    else issues.push({ field: 'mtu', message: `mtu ${JSON.stringify(options.mtu)} is not a whole number; use one from ${MTU_MIN} to ${MTU_MAX}, such as 1500` });
  }
  if (options.ipv6 !== undefined) draft.ipv6 = options.ipv6 === true ? {} : { subnet: options.ipv6 };
  if (!options.autostart) draft.autostart = false;
  if (options.proxyArp) draft.proxyArp = true;
  return { draft, issues };
}
