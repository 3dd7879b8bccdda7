import { describe, expect, it } from 'vitest';
import { validateNetwork } from '../../../../main/core/network/validate-network';
import { createAppI18n } from '../../../../renderer/src/i18n';
import { describeIssue, issueText } from '../../../../renderer/src/model/issue-text';
import { networkContext } from '../fixtures/network-handlers';

/** the real validator's one problem with a draft, on the fixture host */
function problem(draft: Record<string, unknown>) {
  const issues = validateNetwork(draft, networkContext());
  expect(issues).toHaveLength(1);
  return issues[0]!;
}

const CASES: [key: string, draft: Record<string, unknown>, params: Record<string, string>][] = [
  ['overlap', { name: 'x', ipv4: { subnet: '10.77.0.0/24' } }, { value: '10.77.0.0/24', example: expect.stringMatching(/^10\./) as unknown as string }],
  ['nameUsed', { name: 'demo' }, { name: 'demo', free: 'demo-2' }],
  ['nameChars', { name: 'bad name!' }, {}],
  ['notSubnet', { name: 'x', ipv4: { subnet: '10.1.2' } }, { value: '10.1.2', example: '10.80.0.0/24' }],
  ['hostBits', { name: 'x', ipv4: { subnet: '10.99.0.5/24' } }, { value: '10.99.0.5/24', exact: '10.99.0.0/24' }],
  ['outsideSubnet', { name: 'x', ipv4: { subnet: '10.99.0.0/24' }, dhcp: { start: '10.98.0.10', end: '10.99.0.20' } }, { value: '10.98.0.10', subnet: '10.99.0.0/24', range: '10.99.0.128–10.99.0.254' }],
  ['routedUplink', { name: 'x', kind: 'routed' }, {}],
  ['mtuLow', { name: 'x', mtu: 12 }, { value: '12' }],
  ['mtuHigh', { name: 'x', mtu: 99999 }, { value: '99999' }],
  ['bridgeTaken', { name: 'x', bridge: 'eth0' }, { value: 'eth0', example: 'kv-x' }],
  ['notDomain', { name: 'x', domain: 'bad_domain' }, { value: 'bad_domain' }],
];

describe('issueText', () => {
  it.each(CASES)('recognises the validator\'s %s problem and its values', (key, draft, params) => {
    const known = issueText(problem(draft));
    expect(known?.key).toBe(key);
    expect(known?.params).toMatchObject(params);
  });

  it('leaves a problem it does not know to the validator\'s own words, without the field path', () => {
    const issue = problem({ name: 'x', ipv4: { subnet: '10.99.0.0/24' }, dhcp: { start: '10.99.0.20', end: '10.99.0.10' } });
    expect(issueText(issue)).toBeUndefined();
    const { t } = createAppI18n('vi').global;
    expect(describeIssue(issue, t)).toBe(issue.message);
  });

  it.each(['en', 'vi', 'zh-CN'] as const)('says each known problem in %s with its values filled in', (language) => {
    const { t } = createAppI18n(language).global;
    for (const [, draft] of CASES) {
      const issue = problem(draft);
      const text = describeIssue(issue, t);
      expect(text).not.toMatch(/\{\w+\}/);
      for (const value of Object.values(issueText(issue)!.params)) expect(text).toContain(value);
    }
  });
});
