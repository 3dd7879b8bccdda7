import type { FieldIssue } from '../core/network/field-issue';

/**
 * The core names fields as a network's JSON does (ipv4.subnet, dhcp.start); on the command line
 * the user typed options. Most specific first; `kind` and `name` are the positional arguments.
 */
const OPTION_OF_FIELD: readonly (readonly [field: string, option: string])[] = [
  ['ipv4.subnet', '--subnet'],
  ['ipv4', '--subnet'],
  ['dhcp', '--dhcp'],
  ['ipv6', '--ipv6'],
  ['uplink', '--uplink'],
  ['bridge', '--bridge'],
  ['backend', '--backend'],
  ['domain', '--domain'],
  ['mtu', '--mtu'],
  ['autostart', '--no-autostart'],
  ['proxyArp', '--proxy-arp'],
  ['kind', 'kind'],
  ['name', 'name'],
];

/** the option (or argument) a field comes from, and the part of the field below it */
export function optionOf(field: string): { option: string; below: string } {
  const entry = OPTION_OF_FIELD.find(([f]) => field === f || field.startsWith(`${f}.`));
  if (!entry) return { option: field, below: '' };
  return { option: entry[1], below: field === entry[0] ? '' : field.slice(entry[0].length + 1) };
}

/**
 * The issue's message as it reads on the command line: "--subnet: 192.168.1.0/24 overlaps …".
 * Core messages start with their field name, or with the name of a field above it (a range
 * problem of "dhcp.start" may speak of "dhcp range …"); that start becomes the option.
 */
export function cliIssueMessage(issue: FieldIssue): string {
  const parts = issue.field.split('.');
  const paths = parts.map((_, i) => parts.slice(0, parts.length - i).join('.'));
  const spoken = paths.find((p) => issue.message.startsWith(p) && /^[ :]/.test(issue.message.slice(p.length))) ?? issue.field;
  const { option, below } = optionOf(spoken);
  const subject = below ? `${option} ${below}` : option;
  const own = issue.message.startsWith(spoken) ? issue.message.slice(spoken.length).replace(/^:?\s*/, '') : issue.message;
  const rest = own.replaceAll('ipv4.subnet', '--subnet');
  return /^(is|must|cannot) /.test(rest) ? `${subject} ${rest}` : `${subject}: ${rest}`;
}
