/** Icon drawings on a 24×24 grid, stroked with currentColor; drawn for KVMNet, no icon font. */
const circle = (cx: number, cy: number, r: number): string => `M${cx - r} ${cy}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0`;

export const ICON_PATHS = {
  overview: ['M4 4h6.5v6.5H4z', 'M13.5 4H20v6.5h-6.5z', 'M4 13.5h6.5V20H4z', 'M13.5 13.5H20V20h-6.5z'],
  settings: ['M4 7h9', 'M17 7h3', 'M4 17h3', 'M11 17h9', circle(15, 7, 2), circle(9, 17, 2)],
  ethernet: ['M4 9h16v10H4z', 'M9 9V6h6v3', 'M8 19v-3', 'M11 19v-3', 'M13 19v-3', 'M16 19v-3'],
  wifi: ['M4.5 10a11 11 0 0 1 15 0', 'M7.5 13.2a6.5 6.5 0 0 1 9 0', 'M10.4 16.3a2.3 2.3 0 0 1 3.2 0', 'M12 19.5h.01'],
  bridge: ['M3 17h18', 'M3 12.5c4-5.5 14-5.5 18 0', 'M6 17v-6', 'M18 17v-6', 'M10 17V9.4', 'M14 17V9.4'],
  link: ['M10 14a4 4 0 0 0 5.66 0l3-3a4 4 0 0 0-5.66-5.66l-1 1', 'M14 10a4 4 0 0 0-5.66 0l-3 3a4 4 0 0 0 5.66 5.66l1-1'],
  pair: ['M4 9h14', 'M15 6l3 3-3 3', 'M20 15H6', 'M9 12l-3 3 3 3'],
  vm: ['M3 5h18v12H3z', 'M8 21h8', 'M12 17v4'],
  host: ['M4 4h16v7H4z', 'M4 13h16v7H4z', 'M8 7.5h.01', 'M8 16.5h.01'],
  lock: ['M6 11h12v9H6z', 'M8.5 11V8a3.5 3.5 0 0 1 7 0v3'],
  unlock: ['M6 11h12v9H6z', 'M8.5 11V8a3.5 3.5 0 0 1 6.9-.8'],
  shield: ['M12 3l7 3v5c0 4.6-3 8-7 10-4-2-7-5.4-7-10V6z', 'M9 12l2 2 4-4'],
  alert: ['M12 4l9 16H3z', 'M12 10v4', 'M12 17h.01'],
  info: [circle(12, 12, 9), 'M12 11v5', 'M12 8h.01'],
  refresh: ['M19.5 10A8 8 0 0 0 5 7.5', 'M5 3.5v4h4', 'M4.5 14A8 8 0 0 0 19 16.5', 'M19 20.5v-4h-4'],
  close: ['M6 6l12 12', 'M18 6L6 18'],
  spinner: ['M12 3a9 9 0 1 0 9 9'],
  /** a stethoscope: the network doctor */
  doctor: ['M6 4v5a4 4 0 0 0 8 0V4', 'M10 13v2a4 4 0 0 0 8 0v-2', circle(18, 11, 2)],
  network: [circle(12, 5, 2.5), circle(5, 19, 2.5), circle(19, 19, 2.5), 'M12 7.5v4.5', 'M12 12l-5.2 5.2', 'M12 12l5.2 5.2'],
  copy: ['M9 9h11v11H9z', 'M5 15V4h11'],
  check: ['M5 12.5l4.5 4.5L19 7.5'],
  trash: ['M4 7h16', 'M9 7V4h6v3', 'M6.5 7l1 13h9l1-13', 'M10 11v5', 'M14 11v5'],
  play: ['M8 5l11 7-11 7z'],
  stop: ['M6.5 6.5h11v11h-11z'],
  download: ['M12 4v11', 'M7.5 10.5L12 15l4.5-4.5', 'M5 19.5h14'],
  back: ['M15 5l-7 7 7 7'],
  chevron: ['M9 5l7 7-7 7'],
  globe: [circle(12, 12, 9), 'M3 12h18', 'M12 3c2.5 2.7 3.5 5.7 3.5 9s-1 6.3-3.5 9', 'M12 3c-2.5 2.7-3.5 5.7-3.5 9s1 6.3 3.5 9'],
  user: [circle(12, 8, 3.5), 'M5 20c.8-3.6 3.6-5.5 7-5.5s6.2 1.9 7 5.5'],
  plus: ['M12 5v14', 'M5 12h14'],
  minus: ['M5 12h14'],
  fit: ['M4 9V4h5', 'M15 4h5v5', 'M20 15v5h-5', 'M9 20H4v-5'],
  diagram: ['M4 5h6v5H4z', 'M14 14h6v5h-6z', 'M7 10v6.5h7', 'M14 7.5h6'],
  list: ['M9 6h11', 'M9 12h11', 'M9 18h11', 'M4.5 6h.01', 'M4.5 12h.01', 'M4.5 18h.01'],
  logo: ['M7 7l10 0', 'M7 7l5 10', 'M17 7l-5 10', circle(7, 7, 2.6), circle(17, 7, 2.6), circle(12, 17, 2.6)],
} as const satisfies Record<string, readonly string[]>;

export type IconName = keyof typeof ICON_PATHS;
