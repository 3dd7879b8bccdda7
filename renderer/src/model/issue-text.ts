import type { FieldIssue } from '../../../main/core/network/field-issue';
import { messageUnderField } from './network-form';

/**
 * The validator speaks English (the CLI prints its messages as they are). The problems people
 * meet most in the wizard are recognised here and said in the UI's language, with the values
 * the validator found; anything else is shown as the validator wrote it. A renderer test feeds
 * each pattern the real validator's message, so a change of wording there fails it.
 */
const PATTERNS: readonly (readonly [key: string, pattern: RegExp])[] = [
  ['overlap', /^ipv[46]\.subnet (?<value>\S+) overlaps (?<what>.+); pick another, e\.g\. (?<example>\S+)$/],
  ['nameUsed', /^name "(?<name>[^"]+)" is already used by .+; choose another name, e\.g\. "(?<free>[^"]+)"$/],
  ['nameChars', /^name: network name may use only letters, digits, "_" and "-"/],
  ['notSubnet', /^ipv4\.subnet: "(?<value>[^"]*)" is not an IPv4 subnet; write it as ADDRESS\/PREFIX like (?<example>\S+)$/],
  ['hostBits', /^ipv4\.subnet: "(?<value>[^"]*)" names an address inside a subnet; write the subnet itself: (?<exact>\S+)$/],
  ['outsideSubnet', /^dhcp\.(?:start|end) (?<value>\S+) is outside the subnet (?<subnet>\S+); use (?<range>\S+) instead$/],
  ['routedUplink', /^uplink is required for a routed network/],
  ['mtuLow', /^mtu: (?<value>\d+) is below 68,/],
  ['mtuHigh', /^mtu: (?<value>\d+) is above 65535,/],
  ['bridgeTaken', /^bridge "(?<value>[^"]+)" is already an interface on this host .*e\.g\. "(?<example>[^"]+)"/],
  ['notDomain', /^domain: "(?<value>[^"]*)" is not a DNS domain/],
];

export interface IssueText {
  /** under `issues.` in the messages */
  key: string;
  params: Record<string, string>;
}

export function issueText(issue: FieldIssue): IssueText | undefined {
  for (const [key, pattern] of PATTERNS) {
    const match = pattern.exec(issue.message);
    if (match) return { key, params: { ...match.groups } };
  }
  return undefined;
}

/** The problem in the UI's language where it is a known one, else the validator's words without the field path. */
export function describeIssue(issue: FieldIssue, t: (key: string, params: Record<string, string>) => string): string {
  const known = issueText(issue);
  return known ? t(`issues.${known.key}`, known.params) : messageUnderField(issue.field, issue.message);
}
