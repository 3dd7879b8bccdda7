import { parsePortForwardText, PORT_FORWARD_FORM_LABELS } from '../../../main/core/attach/port-forward';
import type { FieldIssue } from '../../../main/core/network/field-issue';

/** The Add-forward form as the user fills it: text, as the CLI's flags are. */
export interface ForwardForm {
  proto: 'tcp' | 'udp';
  hostPort: string;
  to: string;
  /** empty: every address of the host */
  hostIp: string;
}

export const emptyForwardForm = (): ForwardForm => ({ proto: 'tcp', hostPort: '', to: '', hostIp: '' });

/**
 * The form's problems that need no look at the host, by the CLI's own parser (ports, ranges,
 * IP:PORT), so a typo is explained before anything is sent. Whether the port is free and the
 * address inside the network is checked by main against the host, in the same words.
 */
export function forwardFormIssues(network: string, form: ForwardForm): FieldIssue[] {
  const parsed = parsePortForwardText(
    { network, proto: form.proto, hostPort: form.hostPort, to: form.to, ...(form.hostIp.trim() && { hostIp: form.hostIp }) },
    PORT_FORWARD_FORM_LABELS,
  );
  return parsed.ok ? [] : parsed.issues;
}
