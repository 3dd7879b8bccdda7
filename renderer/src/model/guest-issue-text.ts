import type { FieldIssue } from '../../../main/core/network/field-issue';

/**
 * The CLI's checks of a port forward, a reservation and a guest's MAC speak English, naming the
 * form's fields (PORT_FORWARD_FORM_LABELS). The problems people meet most are recognised here and
 * said in the UI's language with the values the check found; anything else is shown as the check
 * wrote it. A renderer test feeds each pattern the real checks' messages.
 */
const PATTERNS: readonly (readonly [key: string, pattern: RegExp])[] = [
  ['notPort', /^Host port "(?<value>[^"]*)" is not a port or range;/],
  ['portHigh', /^Host port: port (?<value>\d+) is above 65535,/],
  ['notTarget', /^Guest address "(?<value>[^"]*)" is not a guest address;/],
  ['outside', /^Guest address (?<value>\S+) is outside network (?<network>\S+) \((?<subnet>[^)]+)\); give a guest's address in (?<range>\S+)$/],
  ['forwarded', /^Host port (?<value>\S+) \((?<proto>tcp|udp)\) is already forwarded(?: on \S+)? to (?<target>\S+) on network (?<network>\S+); pick another, e\.g\. Host port (?<free>\S+)$/],
  ['listening', /^Host port (?<value>\S+) \((?<proto>tcp|udp)\) is where a service on this host listens \((?<bound>[^)]+)\)/],
  ['macUsed', /^MAC (?<value>\S+) is already used by (?<holder>.+); two NICs with one MAC/],
  ['macFormat', /^MAC "(?<value>[^"]*)" is not a MAC address;/],
];

export interface GuestIssueText {
  /** under `guests.issues.` in the messages */
  key: string;
  params: Record<string, string>;
}

export function guestIssueText(message: string): GuestIssueText | undefined {
  for (const [key, pattern] of PATTERNS) {
    const match = pattern.exec(message);
    if (match) return { key, params: { ...match.groups } };
  }
  return undefined;
}

/** The problem in the UI's language where it is a known one, else the check's own words. */
export function describeGuestIssue(issue: Pick<FieldIssue, 'message'>, t: (key: string, params: Record<string, string>) => string): string {
  const known = guestIssueText(issue.message);
  return known ? t(`guests.issues.${known.key}`, known.params) : issue.message;
}
