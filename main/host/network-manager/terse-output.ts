/**
 * Readers for `nmcli -t -e yes`. In tabular output (one record per line) nmcli separates fields with
 * ':' and escapes ':' and '\' inside values with a backslash. In multi-line output ("FIELD:value",
 * as `device show` and `connection show` print) it writes values raw, even with -e yes — a MAC or an
 * IPv6 address keeps its colons — so there the first ':' ends the field name.
 */
export function splitTerseFields(line: string): string[] {
  const fields: string[] = [];
  let current = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && i + 1 < line.length) current += line[++i];
    else if (c === ':') {
      fields.push(current);
      current = '';
    } else current += c;
  }
  fields.push(current);
  return fields;
}

/** FIELD:value lines as a map; indexed fields (IP4.ADDRESS[1], IP4.ADDRESS[2] …) collect into a list under FIELD. */
export function parseTerseProperties(text: string): { one(key: string): string | undefined; all(key: string): string[] } {
  const values = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon).replace(/\[\d+\]$/, '');
    values.set(key, [...(values.get(key) ?? []), line.slice(colon + 1)]);
  }
  return {
    one: (key) => {
      const value = values.get(key)?.[0];
      return value === '' ? undefined : value;
    },
    all: (key) => (values.get(key) ?? []).filter((v) => v !== ''),
  };
}
