/**
 * `firewall-cmd --get-active-zones` prints each zone's name alone on a line, then indented
 * "interfaces: a b" and "sources: …" lines.
 */
export function parseActiveZones(output: string): Record<string, string> {
  const zones: Record<string, string> = {};
  let zone: string | undefined;
  for (const line of output.split('\n')) {
    if (line.trim() === '') continue;
    if (!/^\s/.test(line)) {
      zone = line.trim().replace(/\s+\(.*\)$/, '');
      continue;
    }
    const interfaces = /^\s+interfaces:\s*(.*)$/.exec(line);
    if (zone !== undefined && interfaces) for (const name of interfaces[1]!.split(/\s+/).filter(Boolean)) zones[name] = zone;
  }
  return zones;
}
