import type { NmDevice } from '../../core/doctor/doctor-facts';

/** `nmcli -t` separates fields with ':' and escapes ':' and '\' inside them with '\' */
function terseFields(line: string): string[] {
  const fields: string[] = [];
  let current = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '\\' && i + 1 < line.length) current += line[++i];
    else if (ch === ':') {
      fields.push(current);
      current = '';
    } else current += ch;
  }
  fields.push(current);
  return fields;
}

/** `nmcli -t -f DEVICE,STATE,CONNECTION device` */
export function parseNmcliDevices(output: string): NmDevice[] {
  return output
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line) => {
      const [device = '', state = '', connection = ''] = terseFields(line);
      return { device, state, connection };
    });
}
