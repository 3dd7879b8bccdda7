import { describe, expect, it } from 'vitest';
import type { ResultPromise } from 'execa';
import { labUnavailableReason, startLab, type Lab } from '../../lab/lab';
import { startLibvirtd } from '../../lab/libvirtd';
import { HelperProcess } from './helper-process';
import { expectHostStateToBecome, hostState, settledHostState } from './host-checks';
import { addForeignFirewall, directCreatePlan, directUpSteps, hostonlySpec, libvirtCreatePlan, libvirtSpec, natSpec } from './network-fixtures';

const skip = labUnavailableReason();
if (skip) console.log(`skipped helper network fault tests: ${skip}`);

/** fails for real: the kernel refuses a second link named kvfail (EEXIST) */
const FAIL = { op: 'link.add', kind: 'bridge', name: 'kvfail', network: 'fail' };

interface Fault {
  name: string;
  plan: Record<string, unknown>[];
  libvirtd?: boolean;
  /** a direct network already runs, whose rules and dnsmasq the failed plan must leave as they were */
  neighbour?: boolean;
  /** makes the host refuse one step for real; returns what ends the arrangement (before the lab closes) */
  arrange(lab: Lab): Promise<(() => Promise<void>) | void>;
  failedIndex: number;
  /** steps after the failed one that ran beside it (main/helper/stages.ts), completed and undone too */
  alsoUndone?: number[];
  reason: RegExp;
}

const DIRECT_PLAN = directCreatePlan(natSpec);
const LIBVIRT_PLAN = libvirtCreatePlan(libvirtSpec);

/** another program holds `table inet kvmnet` with the owner flag: the kernel refuses every change to it */
async function holdKvmnetTable(lab: Lab): Promise<() => Promise<void>> {
  const nft: ResultPromise = lab.spawn('nft', ['-i'], { stdin: 'pipe', stdout: 'ignore', stderr: 'ignore', reject: false });
  nft.stdin!.write('add table inet kvmnet { flags owner; }\n');
  for (let i = 0; i < 100 && (await lab.run('nft', ['list', 'table', 'inet', 'kvmnet'])).exitCode !== 0; i++) await new Promise((r) => setTimeout(r, 20));
  return async () => {
    nft.stdin!.end();
    await nft;
  };
}

const FAULTS: Fault[] = [
  {
    name: 'direct NAT plan: nft rejects the table (another program owns inet kvmnet) at step 3',
    plan: DIRECT_PLAN,
    arrange: holdKvmnetTable,
    failedIndex: 3,
    // dnsmasq starts beside the firewall steps; ip_forward, after the table in the same lane, never runs
    alsoUndone: [5],
    reason: /nft refused KVMNet's table: .*Operation not permitted/,
  },
  {
    name: 'direct NAT plan: dnsmasq cannot bind (another dnsmasq holds the DHCP port) at step 5',
    plan: DIRECT_PLAN,
    async arrange(lab) {
      await lab.sh('dnsmasq', ['--conf-file=/dev/null', '--port=0', '--dhcp-range=10.99.0.10,10.99.0.20', '--pid-file=/run/foreign-dnsmasq.pid']);
    },
    failedIndex: 5,
    reason: /dnsmasq could not start on kvlab0: dnsmasq: failed to bind DHCP server socket: Address already in use/,
  },
  {
    name: 'direct NAT plan: the last step fails after record and boot unit are written (step 8)',
    plan: [...DIRECT_PLAN, FAIL],
    neighbour: true,
    arrange: async () => undefined,
    failedIndex: 8,
    reason: /File exists/,
  },
  {
    name: 'libvirt plan: libvirt refuses the definition (bridge name in use by another network) at step 0',
    plan: LIBVIRT_PLAN,
    libvirtd: true,
    async arrange(lab) {
      await lab.sh('tee', ['/run/taken.xml'], { input: `<network><name>taken</name><bridge name='${libvirtSpec.bridge}'/></network>` });
      await lab.sh('virsh', ['-c', 'qemu:///system', 'net-define', '/run/taken.xml']);
    },
    failedIndex: 0,
    reason: /libvirt refused net-define: .*bridge name 'kvlv0' already in use/,
  },
  {
    name: 'libvirt plan: libvirt refuses to start (its subnet is on another interface) at step 2, after define and autostart',
    plan: LIBVIRT_PLAN,
    libvirtd: true,
    async arrange(lab) {
      await lab.sh('ip', ['link', 'add', 'lan0', 'type', 'veth', 'peer', 'name', 'lan1']);
      await lab.sh('ip', ['addr', 'add', '10.82.0.5/24', 'dev', 'lan0']);
      await lab.sh('ip', ['link', 'set', 'lan0', 'up']);
    },
    failedIndex: 2,
    reason: /libvirt refused net-start: .*already in use by interface lan0/,
  },
  {
    name: 'libvirt plan: the last step fails after the network runs (step 3)',
    plan: [...LIBVIRT_PLAN, FAIL],
    libvirtd: true,
    // libvirt's "default" network runs, as on most hosts: starting a NAT network the first time creates libvirt's
    // own chains and turns ip_forward on, which libvirt never undoes and KVMNet must not touch
    async arrange(lab) {
      await lab.sh('tee', ['/run/default.xml'], { input: "<network><name>default</name><forward mode='nat'/><bridge name='virbr0'/><ip address='192.168.122.1' netmask='255.255.255.0'/></network>" });
      await lab.sh('virsh', ['-c', 'qemu:///system', 'net-define', '/run/default.xml']);
      await lab.sh('virsh', ['-c', 'qemu:///system', 'net-start', 'default']);
    },
    failedIndex: 3,
    reason: /File exists/,
  },
];

describe.skipIf(skip)('a realistic plan whose step the host refuses: everything before it is undone', () => {
  it.concurrent.each(FAULTS)('$name', async ({ plan, libvirtd, neighbour, arrange, failedIndex, alsoUndone = [], reason }) => {
    const lab = await startLab();
    let release: (() => Promise<void>) | void = undefined;
    const helper = HelperProcess.start(lab);
    try {
      await addForeignFirewall(lab);
      if (libvirtd) await startLibvirtd(lab);
      // an owned link to collide with
      expect((await helper.apply([FAIL, ...(neighbour ? directUpSteps(hostonlySpec) : [])])).response).toMatchObject({ ok: true });
      release = await arrange(lab);
      // a bridge libvirt just brought up loses its carrier a moment later
      const before = libvirtd ? await settledHostState(lab) : await hostState(lab);

      const { response, events } = await helper.apply(plan);
      const failedOp = (plan[failedIndex] as { op: string }).op;
      expect(response).toMatchObject({
        ok: false,
        error: { code: 'APPLY_FAILED', message: expect.stringContaining(`step ${failedIndex} (${failedOp}) failed`), failure: { failedIndex, failedOp, undone: failedIndex + alsoUndone.length, left: [] } },
      });
      expect('error' in response && response.error.failure!.reason).toMatch(reason);
      expect(events.filter((e) => e.status === 'failed').map((e) => e.index)).toEqual([failedIndex]);
      const completed = [...plan.slice(0, failedIndex).map((_, i) => i), ...alsoUndone];
      expect(events.filter((e) => e.status === 'undone' && e.index !== failedIndex).map((e) => e.index)).toEqual(completed.sort((a, b) => b - a));
      await expectHostStateToBecome(lab, before);
    } finally {
      await helper.close();
      if (release) await release();
      await lab.close();
    }
  });
});
