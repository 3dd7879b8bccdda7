import { describe, expect, it } from 'vitest';
import { checkGuestMac } from '../../../../main/core/attach/mac';
import { parsePortForwardText, PORT_FORWARD_FORM_LABELS, validatePortForward, type PortForward } from '../../../../main/core/attach/port-forward';
import { createAppI18n } from '../../../../renderer/src/i18n';
import { describeGuestIssue, guestIssueText } from '../../../../renderer/src/model/guest-issue-text';

const network = { name: 'lab', ipv4: { subnet: '10.80.0.0/24', gateway: '10.80.0.1' } };
const parsed = (text: { hostPort: string; to: string }) => {
  const r = parsePortForwardText({ network: 'lab', proto: 'tcp', ...text }, PORT_FORWARD_FORM_LABELS);
  return r.ok ? [] : r.issues.map((i) => i.message);
};
const checked = (forward: PortForward, context: Partial<Parameters<typeof validatePortForward>[1]> = {}) =>
  validatePortForward(forward, { network, existing: [], listening: [], ...context }, PORT_FORWARD_FORM_LABELS).map((i) => i.message);
const forward = (hostPort: number, ip: string): PortForward => ({ network: 'lab', proto: 'tcp', hostPort: { start: hostPort, end: hostPort }, to: { ip, port: { start: 80, end: 80 } } });
const used = new Map([['52:54:00:ab:cd:ef', 'the host interface "wlan0"']]) as Parameters<typeof checkGuestMac>[1];

/** the real checks' messages, each with the key it must be recognised as and the values it carries */
const CASES: [key: string, message: () => string | undefined, params: Record<string, string>][] = [
  ['notPort', () => parsed({ hostPort: 'http', to: '10.80.0.5:80' })[0], { value: 'http' }],
  ['portHigh', () => parsed({ hostPort: '70000', to: '10.80.0.5:80' })[0], { value: '70000' }],
  ['notTarget', () => parsed({ hostPort: '8080', to: 'web' })[0], { value: 'web' }],
  ['outside', () => checked(forward(8080, '10.81.0.5'))[0], { value: '10.81.0.5', network: 'lab', subnet: '10.80.0.0/24', range: '10.80.0.2–10.80.0.254' }],
  ['forwarded', () => checked(forward(8080, '10.80.0.5'), { existing: [forward(8080, '10.80.0.9')] })[0], { value: '8080', proto: 'tcp', target: '10.80.0.9:80', network: 'lab', free: '8081' }],
  ['listening', () => checked(forward(8080, '10.80.0.5'), { listening: [{ proto: 'tcp', address: '0.0.0.0', port: 8080 }] })[0], { value: '8080', proto: 'tcp', bound: '0.0.0.0:8080' }],
  ['macUsed', () => { const c = checkGuestMac('52:54:00:AB:CD:EF', used, 'MAC'); return c.ok ? undefined : c.issue.message; }, { value: '52:54:00:ab:cd:ef', holder: 'the host interface "wlan0"' }],
  ['macFormat', () => { const c = checkGuestMac('52:54', used, 'MAC'); return c.ok ? undefined : c.issue.message; }, { value: '52:54' }],
];

describe('guestIssueText', () => {
  it.each(CASES)('recognises the check\'s %s problem and its values', (key, message, params) => {
    const text = message();
    expect(text).toBeDefined();
    const known = guestIssueText(text!);
    expect(known?.key).toBe(key);
    expect(known?.params).toEqual(params);
  });

  it('says a known problem in each language, and leaves one it does not know in the check\'s words', () => {
    const outside = checked(forward(8080, '10.81.0.5'))[0]!;
    expect(describeGuestIssue({ message: outside }, createAppI18n('zh-CN').global.t)).toBe('10.81.0.5 不在网络 lab（10.80.0.0/24）内。请填写 10.80.0.2–10.80.0.254 中某台虚拟机的地址。');
    const reversed = parsed({ hostPort: '9000-8000', to: '10.80.0.5' })[0]!;
    expect(guestIssueText(reversed)).toBeUndefined();
    expect(describeGuestIssue({ message: reversed }, createAppI18n('vi').global.t)).toBe(reversed);
  });
});
