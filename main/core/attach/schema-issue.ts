import type { z } from 'zod';
import type { FieldIssue } from '../network/field-issue';

/**
 * A schema problem with an attach input, as the user sees it: named by the caller's label for its
 * top-level field (a CLI flag, a form's caption), with the schema's own fix.
 */
export function schemaIssue<F extends string>(issue: z.core.$ZodIssue, labels: Readonly<Record<F, string>>, what: string, shape: string): FieldIssue {
  const top = issue.path[0];
  if (issue.code === 'unrecognized_keys') {
    return { field: issue.keys.join(','), message: `${issue.keys.join(', ')}: not a ${what} setting; remove it (check its spelling)` };
  }
  if (top === undefined || !Object.hasOwn(labels, top)) {
    return { field: '', message: `a ${what} must be an object ${shape}` };
  }
  const field = String(top) as F;
  const missing = issue.code === 'invalid_type' && issue.input === undefined;
  return { field, message: missing ? `${labels[field]} is missing; add it` : `${labels[field]}: ${issue.message}` };
}
