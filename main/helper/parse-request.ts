import type { z } from 'zod';
import { MAX_REQUEST_BYTES, Request, RequestId, Step, type HelperError } from './protocol';

export type ParsedLine = { ok: true; request: Request } | { ok: false; id: string | null; error: HelperError };

/** the schema of each step op, read from the protocol's union (link.add is itself a union on kind) */
const opOf = (schema: unknown): string | undefined => {
  const s = schema as { shape?: { op?: { value?: unknown } }; options?: unknown[] };
  return s.shape?.op ? String(s.shape.op.value) : opOf(s.options?.[0]);
};
const STEP_SCHEMAS = new Map(Step.options.map((schema) => [opOf(schema)!, schema as z.ZodType]));
const STEP_OPS = [...STEP_SCHEMAS.keys()];

type Issue = z.core.$ZodIssue;

const fieldOf = (path: readonly PropertyKey[]): string => path.map(String).join('.');

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

/** a value as a message quotes it; one nested deeper than JSON.stringify's stack is named by its kind instead of ending the helper */
const shown = (value: unknown): string => {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = Array.isArray(value) ? 'an array nested too deeply to show' : 'an object nested too deeply to show';
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

function unknownOp(op: unknown, path: readonly PropertyKey[]): { field: string; message: string; code: HelperError['code'] } {
  if (op === undefined) return { field: fieldOf(path), code: 'INVALID_REQUEST', message: `a step needs an op, one of ${STEP_OPS.join(', ')}` };
  return { field: fieldOf(path), code: 'INVALID_REQUEST', message: `unknown step op ${shown(op)}; use one of ${STEP_OPS.join(', ')}` };
}

/**
 * Turns zod's first issue into one field and a sentence that says how to fix it. The step union
 * reports "invalid input" for the whole step; the schema of the step's own op has the real complaint.
 */
function explain(issue: Issue, root: unknown, prefix: readonly PropertyKey[] = []): { field: string; message: string; code: HelperError['code'] } {
  const path = [...prefix, ...issue.path];
  switch (issue.code) {
    case 'invalid_union': {
      const value = valueAt(root, path);
      // zod reports an unknown discriminator (method, kind) with the values it accepts
      const { discriminator, options } = issue as { discriminator?: string; options?: unknown[] };
      // a step's op (the step union is discriminated on it): the issue's path already ends with op
      if (discriminator === 'op') return unknownOp(value, path);
      if (discriminator !== undefined) {
        return { field: fieldOf(path), code: 'INVALID_REQUEST', message: `${shown(value)} is not one of ${(options ?? []).map(String).join(', ')}` };
      }
      const op = valueAt(value, ['op']);
      const schema = typeof op === 'string' ? STEP_SCHEMAS.get(op) : undefined;
      const inner = schema?.safeParse(value).error?.issues[0];
      if (inner) return explain(inner, root, path);
      return unknownOp(op, [...path, 'op']);
    }
    case 'unrecognized_keys': {
      const field = fieldOf([...path, issue.keys[0] ?? '']);
      return { field, code: 'INVALID_REQUEST', message: `unknown field${issue.keys.length > 1 ? `s ${issue.keys.join(', ')}` : ''}; remove it` };
    }
    case 'invalid_type':
      return { field: fieldOf(path), code: 'INVALID_REQUEST', message: `expected ${issue.expected}, got ${valueAt(root, path) === undefined ? 'nothing' : shown(valueAt(root, path))}` };
    case 'custom': {
      const onAllowlist = path.at(-1) === 'key' && valueAt(root, [...path.slice(0, -1), 'op']) === 'sysctl.set';
      const hint = onAllowlist ? '; the helper writes only net.ipv4.ip_forward, net.ipv6.conf.all.forwarding and, on KVMNet links, net.ipv4.conf.<link>.{forwarding,proxy_arp,rp_filter} and net.ipv6.conf.<link>.{forwarding,disable_ipv6,accept_ra} (proxy_arp also on the uplink of a proxy-ARP network)' : '';
      return { field: fieldOf(path), code: onAllowlist ? 'NOT_ALLOWED' : 'INVALID_REQUEST', message: `${issue.message}${hint}` };
    }
    default:
      return { field: fieldOf(path), code: 'INVALID_REQUEST', message: issue.message };
  }
}

export const oversizeError = (): HelperError => ({
  code: 'INVALID_REQUEST',
  field: '(line)',
  message: `(line): the request is longer than ${MAX_REQUEST_BYTES} bytes; send a smaller plan`,
});

/** One request line, checked against the protocol; nothing else reaches the engine. */
export function parseRequestLine(line: string): ParsedLine {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (e) {
    return { ok: false, id: null, error: { code: 'INVALID_REQUEST', field: '(line)', message: `(line): not valid JSON (${(e as Error).message}); send one JSON object per line` } };
  }
  const rawId = json !== null && typeof json === 'object' ? (json as { id?: unknown }).id : undefined;
  const id = RequestId.safeParse(rawId).success ? (rawId as string) : null;
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    return { ok: false, id, error: { code: 'INVALID_REQUEST', field: '(request)', message: '(request): a request is a JSON object with id and method' } };
  }
  const parsed = Request.safeParse(json);
  if (parsed.success) return { ok: true, request: parsed.data };
  const first = parsed.error.issues[0]!;
  const { field, message, code } = explain(first, json);
  const named = field === '' ? '(request)' : field;
  return { ok: false, id, error: { code, field: named, message: `${named}: ${message}` } };
}
