import { afterEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import type { VueWrapper } from '@vue/test-utils';
import DoctorView from '../../../../renderer/src/views/DoctorView.vue';
import { CHECK_IDS } from '../../../../main/core/doctor/doctor-report';
import { KvmnetError } from '../../../../main/core/kvmnet-error';
import { useDoctorStore } from '../../../../renderer/src/stores/doctor';
import { doctorView } from '../fixtures/doctor-view';
import { mountAppPart } from '../fixtures/mount-app-part';

let wrapper: VueWrapper | undefined;
afterEach(() => wrapper?.unmount());

async function doctorWith(arrange: (doctor: ReturnType<typeof useDoctorStore>) => void, language?: 'en' | 'vi' | 'zh-CN') {
  const mounted = mountAppPart(DoctorView, { language });
  wrapper = mounted.wrapper;
  const doctor = useDoctorStore(mounted.pinia);
  arrange(doctor);
  await nextTick();
  return { wrapper: mounted.wrapper, doctor };
}

describe('DoctorView', () => {
  it('runs the checks when opened and lists findings first, with status badges, then the passed checks', async () => {
    const { wrapper, doctor } = await doctorWith((d) => { d.view = doctorView(); });
    expect(doctor.start).toHaveBeenCalledTimes(1);
    const findings = wrapper.get('[aria-labelledby="doctor-findings"]');
    expect(findings.findAll('[data-check]').map((c) => c.attributes('data-check'))).toEqual(['ip-forward', 'forward-policy-drop', 'vhost-net']);
    expect(findings.findAll('[data-check] > header [data-status]').map((b) => b.text())).toEqual(['Problem', 'Problem', 'Warning']);
    expect(wrapper.get('[data-check="ip-forward"] h3').text()).toBe('IP forwarding is off: guests of the network "lab" cannot reach beyond the host');
    const passed = wrapper.get('[aria-labelledby="doctor-passed"]');
    expect(passed.findAll('[data-check]')).toHaveLength(CHECK_IDS.length - 3);
    expect(passed.get('[data-check="kvm-device"] [data-status]').text()).toBe('OK');
    expect(wrapper.get('[data-count="fail"] dd').text()).toBe('2');
  });

  it('previews a safe fix as its steps and commands, and applies it by id on click', async () => {
    const { wrapper, doctor } = await doctorWith((d) => { d.view = doctorView(); });
    const check = wrapper.get('[data-check="ip-forward"]');
    expect(check.get('[data-fix="helper"]').text()).toContain('set net.ipv4.ip_forward = 1');
    expect(check.get('[data-preview="fix"]').text()).toContain('sysctl -w net.ipv4.ip_forward=1');
    expect(check.get('[data-preview="undo"]').text()).toContain('sysctl -w net.ipv4.ip_forward=0');
    const apply = check.get('button[data-action="fix"]');
    expect(apply.text()).toBe('Apply fix');
    await apply.trigger('click');
    expect(doctor.fix).toHaveBeenCalledWith('ip-forward');
  });

  it('explains an unsafe fix with the commands to run by hand, and offers no button for it', async () => {
    const { wrapper } = await doctorWith((d) => { d.view = doctorView(); });
    const check = wrapper.get('[data-check="forward-policy-drop"]');
    expect(check.find('button[data-action="fix"]').exists()).toBe(false);
    expect(check.get('[data-fix="manual"]').text()).toContain('it changes another program’s settings or what your VMs rely on');
    expect(check.get('[data-preview="manual"]').text()).toBe('iptables -I DOCKER-USER -i kvbr0 -j ACCEPT');
  });

  it('shows progress while a fix runs, disables every fix button, then the result and an undo button', async () => {
    const { wrapper, doctor } = await doctorWith((d) => {
      d.view = doctorView();
      d.applying = 'ip-forward';
      d.progress = { id: 'ip-forward', index: 0, total: 1, status: 'running', step: 'set net.ipv4.ip_forward = 1' };
    });
    expect(wrapper.get('[data-progress]').text()).toBe('Step 1 of 1: set net.ipv4.ip_forward = 1');
    expect(wrapper.get('[data-progress]').attributes('role')).toBe('status');
    expect(wrapper.get('button[data-action="fix"]').attributes('disabled')).toBeDefined();
    expect(wrapper.get('button[data-action="recheck"]').attributes('disabled')).toBeDefined();

    doctor.applying = null;
    doctor.progress = null;
    doctor.view = { ...doctorView({ 'ip-forward': { status: 'ok', summary: 'IP forwarding is on' } }), undoable: ['ip-forward'] };
    doctor.results = { 'ip-forward': { kind: 'fix', status: 'done', message: 'Fixed: set net.ipv4.ip_forward = 1' } };
    await nextTick();
    const check = wrapper.get('[aria-labelledby="doctor-findings"] [data-check="ip-forward"]');
    expect(check.get('[data-result]').text()).toContain('Fixed');
    await check.get('button[data-action="undo"]').trigger('click');
    expect(doctor.undo).toHaveBeenCalledWith('ip-forward');
  });

  it('names a failed fix as rolled back, in an alert', async () => {
    const { wrapper } = await doctorWith((d) => {
      d.view = doctorView();
      d.results = { 'ip-forward': { kind: 'fix', status: 'failed', message: 'step 0 (sysctl.set) failed; the host is as before' } };
    });
    const result = wrapper.get('[data-check="ip-forward"] [data-result]');
    expect(result.attributes('role')).toBe('alert');
    expect(result.text()).toContain('The fix failed and was rolled back');
  });

  it('announces a re-check main made after a network change', async () => {
    const { wrapper, doctor } = await doctorWith((d) => { d.view = doctorView(); });
    expect(wrapper.get('.announce').text()).toBe('');
    doctor.pushed++;
    await nextTick();
    expect(wrapper.get('.announce').text()).toBe('The network changed, so the doctor checked again.');
  });

  it('says when all is well, when it cannot run (with a retry), and speaks the chosen language', async () => {
    const healthy = doctorView({ 'ip-forward': { status: 'ok' }, 'forward-policy-drop': { status: 'ok' }, 'vhost-net': { status: 'ok' } });
    const { wrapper, doctor } = await doctorWith((d) => { d.view = healthy; }, 'vi');
    expect(wrapper.get('h1').text()).toBe('Bác sĩ mạng');
    expect(wrapper.text()).toContain('Không phát hiện vấn đề nào');
    doctor.view = null;
    doctor.error = new KvmnetError('INTERNAL', 'nft: permission denied');
    await nextTick();
    expect(wrapper.get('[role="alert"]').text()).toContain('nft: permission denied');
    await wrapper.get('[role="alert"] button').trigger('click');
    expect(doctor.run).toHaveBeenCalled();
  });

  it('names each check in the chosen language: a proxy-ARP uplink that lost its LAN, with the commands to make the network again', async () => {
    const lost = doctorView({
      'proxy-arp': {
        status: 'fail',
        summary: 'The slice 192.168.50.240/28 of the network "wifi" is no longer inside the LAN of wlan0',
        detail: 'wlan0 is on 10.20.0.0/22 now (another Wi-Fi, or the router changed its subnet).',
        fix: { description: 'Make the network "wifi" again with a free slice of 10.20.0.0/22.', commands: ['kvmnet delete wifi', 'kvmnet create routed wifi --uplink wlan0 --proxy-arp'], safe: false, undo: 'Make it again as it was.' },
      },
    });
    for (const [language, name] of [['en', 'Proxy ARP on the uplink'], ['vi', 'Proxy ARP trên giao diện uplink'], ['zh-CN', '上行接口的代理 ARP']] as const) {
      const { wrapper } = await doctorWith((d) => { d.view = lost; }, language);
      const check = wrapper.get('[data-check="proxy-arp"]');
      expect(check.get('.check-name').text()).toBe(name);
      expect(check.find('button[data-action="fix"]').exists()).toBe(false);
      expect(check.get('[data-preview="manual"]').text()).toBe('kvmnet delete wifi\nkvmnet create routed wifi --uplink wlan0 --proxy-arp');
      wrapper.unmount();
    }
    const { wrapper } = await doctorWith((d) => { d.view = doctorView(); }, 'zh-CN');
    expect(wrapper.get('[aria-labelledby="doctor-passed"] [data-check="proxy-arp"] .check-name').text()).toBe('上行接口的代理 ARP');
  });
});
