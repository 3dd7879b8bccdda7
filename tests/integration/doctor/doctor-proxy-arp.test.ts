import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DoctorReport, type Check } from '../../../main/core/doctor/doctor-report';
import { Plan } from '../../../main/helper/protocol';
import { labUnavailableReason } from '../../lab/lab';
import { readHostState, type HostState } from '../../lab/host-state';
import { settleLinks } from '../../lab/laptop-lan';
import { startBridgedLab, STATIC_ADDRESS, type BridgedLab } from '../bridged/bridged-lab';
import { HelperProcess } from '../helper/helper-process';

/**
 * The proxy-arp check end to end, with the real CLI bundle and the built helper in a lab: the
 * laptop's eth0 on the lab router's LAN stands in for a Wi-Fi uplink (as in proxy-arp-guest.test.ts).
 * The faults are made for real: proxy_arp turned off by hand, the uplink renamed away (a USB
 * dongle plugged in again under another name), the uplink moved to another LAN.
 */

const skip = labUnavailableReason();
if (skip) console.log(`skipped the doctor proxy-arp lab test: ${skip}`);

/** the lab router's address on the LAN (tests/lab/network-manager.ts startLanRouter) */
const GATEWAY = '203.0.113.1';
const PROXY_ARP = '/proc/sys/net/ipv4/conf/eth0/proxy_arp';
const FixedReport = DoctorReport.extend({ fixed: z.array(z.object({ id: z.string(), undo: Plan, undoCommands: z.string() })) });

describe.skipIf(skip)('kvmnet doctor: proxy-arp in a lab', () => {
  let b: BridgedLab;
  /** the lab before any network: where the last test leaves it again */
  let initial: HostState;
  beforeAll(async () => {
    b = await startBridgedLab({ networkManager: false });
  }, 120_000);
  afterAll(async () => { await b?.close(); });

  const doctor = async (): Promise<Check> => {
    const r = await b.kvmnet('doctor', '--json');
    expect(r.exitCode, r.stderr).toBe(0);
    return DoctorReport.parse(JSON.parse(r.stdout)).checks.find((c) => c.id === 'proxy-arp')!;
  };
  const state = async () => {
    await settleLinks(b.lab);
    return readHostState(b.lab);
  };
  /** a plan through the helper bundle in the lab, as the app's privilege session runs it */
  const throughHelper = async (plan: Plan) => {
    const helper = HelperProcess.start(b.lab);
    try {
      return (await helper.apply(plan.steps)).response;
    } finally {
      await helper.close();
    }
  };
  /** eth0 as startBridgedLab leaves it */
  const eth0Addressing = `addr add ${STATIC_ADDRESS} dev eth0\nroute add default via ${GATEWAY} dev eth0 metric 100\nroute add 198.51.100.0/24 via 203.0.113.254 dev eth0\n`;

  it('reports proxy_arp turned off on the uplink, --fix restores it through the helper, the undo turns it off again', async () => {
    initial = await state();
    expect(await doctor()).toMatchObject({ status: 'ok', summary: 'No running network uses proxy ARP' });
    const created = await b.kvmnet('create', 'routed', 'wifi', '--uplink', 'eth0', '--proxy-arp');
    expect(created.exitCode, created.stderr).toBe(0);
    expect(await doctor()).toMatchObject({ status: 'ok', summary: 'Proxy ARP is on for every proxy-ARP network' });
    const up = await state();
    expect(up.sysctls[PROXY_ARP]).toBe('1');

    // what a NetworkManager reconnect or another tool does
    await b.lab.sh('sh', ['-c', `echo 0 > ${PROXY_ARP}`]);
    const seeded = await state();
    const broken = await doctor();
    expect(broken).toMatchObject({
      status: 'fail',
      summary: 'Proxy ARP is off on eth0: the LAN cannot reach the guests of the network "wifi"',
      fix: { safe: true, commands: ['sysctl -w net.ipv4.conf.eth0.proxy_arp=1'] },
    });

    // the helper's allowlist stays narrow: a lone proxy_arp switch on a link no proxy-ARP network uses is refused, and changes nothing
    const refused = await throughHelper({ steps: [{ op: 'sysctl.set', key: 'net.ipv4.conf.lo.proxy_arp', value: '1' }] });
    expect(refused).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED' } });
    expect(await state()).toEqual(seeded);

    // no --yes and no terminal: the preview, nothing changed
    const asked = await b.kvmnet('doctor', '--fix', 'proxy-arp');
    expect(asked.exitCode).toBe(2);
    expect(asked.stderr).toContain('sysctl -w net/ipv4/conf/eth0/proxy_arp=1');
    expect(await state()).toEqual(seeded);

    const fixed = await b.kvmnet('doctor', '--fix', 'proxy-arp', '--yes', '--json');
    expect(fixed.exitCode, fixed.stderr).toBe(0);
    const after = FixedReport.parse(JSON.parse(fixed.stdout));
    expect(after.fixed.map((f) => f.id)).toEqual(['proxy-arp']);
    expect(after.checks.find((c) => c.id === 'proxy-arp')).toMatchObject({ status: 'ok' });
    expect(await state()).toEqual(up);

    const undone = await throughHelper(after.fixed[0]!.undo);
    expect(undone).toMatchObject({ ok: true });
    expect(await state()).toEqual(seeded);
    expect(await doctor()).toMatchObject({ status: 'fail', fix: { safe: true } });
  }, 300_000);

  it('reports the uplink gone (renamed away) with the commands to remake the network, and applies nothing', async () => {
    await b.lab.sh('sh', ['-c', 'ip link set eth0 down && ip link set eth0 name wlx0']);
    try {
      const gone = await doctor();
      expect(gone).toMatchObject({ status: 'fail', summary: 'Eth0, the proxy-ARP uplink of the network "wifi", is gone', fix: { safe: false } });
      expect(gone.fix!.commands).toEqual(['kvmnet delete wifi', 'kvmnet create routed wifi --uplink eth0 --proxy-arp']);
      const before = await state();
      const nothing = await b.kvmnet('doctor', '--fix', 'proxy-arp', '--yes');
      expect(nothing.exitCode, nothing.stderr).toBe(0);
      expect(nothing.stderr).toContain('no finding has a fix the doctor can apply safely; nothing was changed');
      expect(await state()).toEqual(before);
    } finally {
      await b.lab.sh('sh', ['-c', 'ip link set wlx0 name eth0 && ip link set eth0 up']);
      await b.lab.sh('ip', ['-batch', '-'], { input: eth0Addressing.split('\n').slice(1).join('\n') });
    }
  }, 300_000);

  it('reports a slice outside the uplink’s new LAN, and the commands it gives make the network again on that LAN', async () => {
    await b.lab.sh('sh', ['-c', `echo 1 > ${PROXY_ARP}`]);
    expect(await doctor()).toMatchObject({ status: 'ok' });

    // another Wi-Fi: eth0 now sits on 192.0.2.0/24
    await b.lab.sh('ip', ['-batch', '-'], { input: 'addr flush dev eth0 scope global\naddr add 192.0.2.50/24 dev eth0\nroute add default via 192.0.2.1 dev eth0 metric 100\n' });
    const moved = await doctor();
    expect(moved).toMatchObject({ status: 'fail', summary: 'The slice 203.0.113.224/28 of the network "wifi" is no longer inside the LAN of eth0', fix: { safe: false } });
    expect(moved.detail).toContain('eth0 is on 192.0.2.0/24 now');
    expect(moved.fix!.commands).toEqual(['kvmnet delete wifi', 'kvmnet create routed wifi --uplink eth0 --proxy-arp']);

    for (const command of moved.fix!.commands) {
      const r = await b.kvmnet(...command.split(' ').slice(1));
      expect(r.exitCode, `${command}: ${r.stderr}`).toBe(0);
    }
    const remade = JSON.parse(await b.lab.sh('cat', ['/etc/kvmnet/networks/wifi.json'])) as { spec: { ipv4: { subnet: string } } };
    expect(remade.spec.ipv4.subnet).toBe('192.0.2.240/28');
    expect(await doctor()).toMatchObject({ status: 'ok', summary: 'Proxy ARP is on for every proxy-ARP network' });

    // and the lab as it started: the network gone, proxy_arp and ip_forward back to 0, eth0 on its first LAN
    expect((await b.kvmnet('delete', 'wifi')).exitCode).toBe(0);
    await b.lab.sh('ip', ['-batch', '-'], { input: `addr flush dev eth0 scope global\n${eth0Addressing}` });
    expect(await state()).toEqual(initial);
    // with no proxy-ARP network's record naming eth0 any more, the helper refuses to switch its proxy_arp
    const refused = await throughHelper({ steps: [{ op: 'sysctl.set', key: 'net.ipv4.conf.eth0.proxy_arp', value: '1' }] });
    expect(refused).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED' } });
    expect(await state()).toEqual(initial);
  }, 300_000);
});
