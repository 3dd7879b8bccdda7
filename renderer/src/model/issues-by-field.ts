import type { FieldIssue } from '../../../main/core/network/field-issue';

/** the first problem of each field, for the message under it */
export function issuesByField(issues: readonly FieldIssue[]): Record<string, string> {
  const byField: Record<string, string> = {};
  for (const issue of issues) byField[issue.field] ??= issue.message;
  return byField;
}
