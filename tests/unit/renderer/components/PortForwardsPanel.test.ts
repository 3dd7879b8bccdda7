import { afterEach, describe, expect, it, vi } from 'vitest';
import type { VueWrapper } from '@vue/test-utils';
import PortForwardsPanel from '../../../../renderer/src/components/guests/PortForwardsPanel.vue';
import type { NetworkForward } from '../../../../main/core/attach/port-forward';
import type { Handlers } from '../../../../main/ipc/dispatch';
import { removeBridge } from '../fixtures/fake-bridge';
import { mountNetworkView, settle } from '../fixtures/mount-network-view';

let wrapper: VueWrapper | undefined;
afterEach(() => {
  wrapper?.unmount();
  removeBridge();
});

const FORWARD: NetworkForward = { proto: 'tcp', hostPort: { start: 8080, end: 8080 }, to: { ip: '10.78.0.50', port: { start: 80, end: 80 } } };

async function mountPanel(options: { forwards?: NetworkForward[]; loading?: boolean; overrides?: Partial<Handlers> } = {}) {
  const mounted = await mountNetworkView(PortForwardsPanel, {
    path: '/networks/demo',
    props: { network: 'demo', forwards: options.forwards ?? [], loading: options.loading ?? false, subnet: '10.78.0.0/24' },
    overrides: options.overrides,
  });
  wrapper = mounted.wrapper;
  return mounted;
}

async function fill(w: VueWrapper, form: { hostPort?: string; to?: string; hostIp?: string; proto?: 'tcp' | 'udp' }) {
  if (form.proto) await w.get(`[data-field="proto"] input[value="${form.proto}"]`).setValue(true);
  for (const field of ['hostPort', 'to', 'hostIp'] as const) {
    if (form[field] !== undefined) await w.get(`[data-field="${field}"] input`).setValue(form[field]);
  }
  await w.get('[data-forward-form]').trigger('submit');
  await settle();
}

const errorOf = (w: VueWrapper, field: string) => w.find(`[data-field="${field}"] [data-field-error]`);

describe('PortForwardsPanel', () => {
  it('lists the forwards, each with its own Remove named by protocol and port', async () => {
    const { wrapper, bridge } = await mountPanel({ forwards: [FORWARD, { ...FORWARD, proto: 'udp', hostIp: '192.0.2.10', hostPort: { start: 5000, end: 5010 }, to: { ip: '10.78.0.51', port: { start: 5000, end: 5010 } } }] });
    const rows = wrapper.findAll('[data-forward]');
    expect(rows.map((r) => r.findAll('td').slice(0, 4).map((td) => td.text()))).toEqual([
      ['TCP', 'Every address', '8080', '10.78.0.50:80'],
      ['UDP', '192.0.2.10', '5000-5010', '10.78.0.51:5000-5010'],
    ]);
    const remove = rows[1]!.get('[data-action="remove-forward"]');
    expect(remove.attributes('aria-label')).toBe('Remove the forward of UDP port 5000-5010');
    await remove.trigger('click');
    await settle();
    expect(bridge.handlers['forwards:remove']).toHaveBeenCalledWith(expect.objectContaining({ name: 'demo', proto: 'udp', hostPort: '5000-5010', hostIp: '192.0.2.10' }));
  });

  it('explains an empty form under each field, in plain words, and sends nothing', async () => {
    const { wrapper, bridge } = await mountPanel();
    await fill(wrapper, {});
    expect(errorOf(wrapper, 'hostPort').text()).toBe('“” is not a port. Write a port such as 8080, or a range such as 8000-8010 (ports 1–65535).');
    expect(errorOf(wrapper, 'to').text()).toMatch(/^“” is not a VM address\. Write IP:PORT such as 10\.80\.0\.5:80/);
    expect(wrapper.get('[data-field="hostPort"] input').attributes('aria-invalid')).toBe('true');
    expect(errorOf(wrapper, 'hostIp').exists()).toBe(false);
    expect(bridge.handlers['forwards:add']).not.toHaveBeenCalled();
  });

  it('names ports out of range, reversed ranges and a host address that is not one, as the CLI does', async () => {
    const { wrapper, bridge } = await mountPanel();
    await fill(wrapper, { hostPort: '70000', to: '10.78.0.50:80' });
    expect(errorOf(wrapper, 'hostPort').text()).toBe('Port 70000 is above 65535, the largest port there is. Use a port from 1 to 65535.');
    await fill(wrapper, { hostPort: '9000-8000', to: '10.78.0.50' });
    expect(errorOf(wrapper, 'hostPort').text()).toContain('range 9000-8000 is reversed; write the smaller port first: 8000-9000');
    await fill(wrapper, { hostPort: '8080', to: '10.78.0.50:80', hostIp: 'laptop' });
    expect(errorOf(wrapper, 'hostIp').text()).toMatch(/^Host address/);
    expect(errorOf(wrapper, 'hostPort').exists()).toBe(false);
    expect(bridge.handlers['forwards:add']).not.toHaveBeenCalled();
  });

  it('sends a good form as typed, says it is forwarding and that the target is not reserved, and empties the form', async () => {
    const { wrapper, bridge } = await mountPanel();
    await fill(wrapper, { proto: 'udp', hostPort: '5353', to: '10.78.0.50:53' });
    expect(bridge.handlers['forwards:add']).toHaveBeenCalledWith(expect.objectContaining({ name: 'demo', proto: 'udp', hostPort: '5353', to: '10.78.0.50:53' }));
    expect(wrapper.get('[data-forward-added]').text()).toContain('Forwarding udp 5353 → 10.78.0.50:53.');
    expect(wrapper.get('[data-forward-added]').text()).toContain('10.78.0.50 is not reserved');
    expect((wrapper.get('[data-field="hostPort"] input').element as HTMLInputElement).value).toBe('');
  });

  it('shows main\'s answer about the host under the field it names, and keeps what the user typed', async () => {
    const busy = 'Host port 8080 (tcp) is already forwarded to 10.78.0.9:80 on network web; pick another, e.g. Host port 8081';
    const { wrapper } = await mountPanel({ overrides: { 'forwards:add': vi.fn(async () => ({ issues: [{ field: 'hostPort', message: busy }], result: null })) } });
    await fill(wrapper, { hostPort: '8080', to: '10.78.0.50:80' });
    expect(errorOf(wrapper, 'hostPort').text()).toBe('Port 8080 (tcp) is already forwarded to 10.78.0.9:80 on the network web. Pick another, such as 8081.');
    expect((wrapper.get('[data-field="hostPort"] input').element as HTMLInputElement).value).toBe('8080');
    expect(wrapper.find('[data-forward-added]').exists()).toBe(false);
    // typing again clears main's answer until the next try
    await wrapper.get('[data-field="hostPort"] input').setValue('8081');
    await wrapper.get('[data-field="hostPort"] input').trigger('input');
    expect(errorOf(wrapper, 'hostPort').exists()).toBe(false);
  });

  it('keeps its shape with skeleton rows while the forwards load', async () => {
    const { wrapper } = await mountPanel({ loading: true });
    expect(wrapper.findAll('[aria-busy="true"] tr')).toHaveLength(2);
    expect(wrapper.find('[data-forwards-empty]').exists()).toBe(false);
  });

  it('says the problems in Vietnamese, with the values the check found, and a problem it does not know in the check\'s words', async () => {
    const mounted = await mountNetworkView(PortForwardsPanel, {
      path: '/networks/demo', language: 'vi',
      props: { network: 'demo', forwards: [], loading: false, subnet: '10.78.0.0/24' },
    });
    wrapper = mounted.wrapper;
    await fill(wrapper, { hostPort: '70000', to: '10.78.0.50:80' });
    expect(errorOf(wrapper, 'hostPort').text()).toBe('Cổng 70000 lớn hơn 65535, cổng lớn nhất có thể. Hãy dùng cổng từ 1 đến 65535.');
    await fill(wrapper, { hostPort: '8080', to: 'web:80' });
    expect(errorOf(wrapper, 'to').text()).toMatch(/^“web:80” không phải là địa chỉ máy ảo\./);
    await fill(wrapper, { hostPort: '9000-8000', to: '10.78.0.50' });
    expect(errorOf(wrapper, 'hostPort').text()).toContain('range 9000-8000 is reversed');
  });
});
