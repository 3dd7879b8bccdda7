/** What the guest reported on its serial console, one marker line of init.sh each. */
export type GuestEvent =
  | { kind: 'INIT' }
  | { kind: 'MODULE_FAIL'; module: string }
  | { kind: 'NO_DEVICE'; dev: string }
  | { kind: 'MAC'; dev: string; mac: string }
  | { kind: 'STATIC'; ip: string; prefix: number; dev: string }
  | { kind: 'LEASE'; ip: string; prefix: number; dev: string; router: string | undefined }
  | { kind: 'NO_LEASE'; dev: string }
  | { kind: 'PING_OK'; target: string }
  | { kind: 'PING_FAIL'; target: string }
  | { kind: 'SERVING'; port: number }
  | { kind: 'FETCH_OK'; url: string; body: string }
  | { kind: 'FETCH_FAIL'; url: string }
  | { kind: 'DONE' };
export type GuestEventKind = GuestEvent['kind'];

const IP = String.raw`(\d{1,3}(?:\.\d{1,3}){3})`;
const PARSERS: { [K in GuestEventKind]: [RegExp, (m: string[]) => Extract<GuestEvent, { kind: K }>] } = {
  INIT: [/^INIT$/, () => ({ kind: 'INIT' })],
  MODULE_FAIL: [/^MODULE_FAIL (\S+)$/, (m) => ({ kind: 'MODULE_FAIL', module: m[1]! })],
  NO_DEVICE: [/^NO_DEVICE (\S+)$/, (m) => ({ kind: 'NO_DEVICE', dev: m[1]! })],
  MAC: [/^MAC (\S+) ([0-9a-f]{2}(?::[0-9a-f]{2}){5})$/, (m) => ({ kind: 'MAC', dev: m[1]!, mac: m[2]! })],
  STATIC: [new RegExp(`^STATIC ${IP} prefix=(\\d+) dev=(\\S+)$`), (m) => ({ kind: 'STATIC', ip: m[1]!, prefix: Number(m[2]), dev: m[3]! })],
  LEASE: [new RegExp(`^LEASE ${IP} prefix=(\\d+) dev=(\\S+) router=(\\S*)$`), (m) => ({ kind: 'LEASE', ip: m[1]!, prefix: Number(m[2]), dev: m[3]!, router: m[4] || undefined })],
  NO_LEASE: [/^NO_LEASE (\S+)$/, (m) => ({ kind: 'NO_LEASE', dev: m[1]! })],
  PING_OK: [new RegExp(`^PING_OK ${IP}$`), (m) => ({ kind: 'PING_OK', target: m[1]! })],
  PING_FAIL: [new RegExp(`^PING_FAIL ${IP}$`), (m) => ({ kind: 'PING_FAIL', target: m[1]! })],
  SERVING: [/^SERVING (\d+)$/, (m) => ({ kind: 'SERVING', port: Number(m[1]) })],
  FETCH_OK: [/^FETCH_OK (\S+) ?(.*)$/, (m) => ({ kind: 'FETCH_OK', url: m[1]!, body: m[2]! })],
  FETCH_FAIL: [/^FETCH_FAIL (\S+)$/, (m) => ({ kind: 'FETCH_FAIL', url: m[1]! })],
  DONE: [/^DONE$/, () => ({ kind: 'DONE' })],
};

// The firmware's last line, terminal resets and carriage returns can share a line with the first
// marker ("Booting from ROM..\x1bc\x1b[2J.\rINIT\r"): the marker is the last text on the line,
// after the last escape sequence or carriage return.
const TERMINAL_CONTROL = /\x1b(?:\[[0-9;?]*[A-Za-z]|c)|\r/;

/** The event a console line carries, or undefined for kernel and firmware output. */
export function parseConsoleLine(raw: string): GuestEvent | undefined {
  const line = raw.split(TERMINAL_CONTROL).map((part) => part.trim()).filter(Boolean).at(-1) ?? '';
  const kind = line.split(' ', 1)[0] as GuestEventKind;
  const parser = Object.hasOwn(PARSERS, kind) ? PARSERS[kind] : undefined;
  const match = parser?.[0].exec(line);
  return match ? parser![1]([...match]) : undefined;
}
