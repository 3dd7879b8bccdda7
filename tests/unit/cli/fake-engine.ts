import type { NetworkEngine } from '../../../main/engine/engine';
import { toHostNetworkState } from '../../../main/engine/host-network-state';
import type { RunOutcome, StepProgress } from '../../../main/engine/run-plan';
import type { ParsedLibvirtNetwork } from '../../../main/core/render/libvirt-network-xml';
import type { IpForwardValue } from '../../../main/core/plan/plan-context';
import type { Plan } from '../../../main/helper/protocol';
import type { NetworkRecord } from '../../../main/core/network/network-record';
import { runCli } from '../../../main/cli/run-cli';
import { laptopSnapshot, labSpec } from '../core/network/host-fixture';

/**
 * The laptop of the core fixtures as the CLI's engine sees it: libvirt's default network, the
 * KVMNet libvirt network "lab", and what the test adds. `run` records the plans it is given and
 * answers with `outcome`, replaying `progress` first: the real engine is tested in the labs
 * (tests/integration/cli); here only what the commands make of it.
 */
export class FakeEngine implements NetworkEngine {
  readonly plans: Plan[] = [];
  outcome: RunOutcome = { status: 'done', applied: 0 };
  progress: StepProgress[] = [];
  records: NetworkRecord[] = [];
  ipForward: IpForwardValue = '0';
  snapshot = laptopSnapshot();

  readState = async () => {
    const definitions: ParsedLibvirtNetwork[] = [
      { name: 'default', managedByKvmnet: false, forwardMode: 'nat', kind: 'nat', bridge: 'virbr0', ipv4: { subnet: '192.168.122.0/24', gateway: '192.168.122.1' }, dhcp: { start: '192.168.122.2', end: '192.168.122.254' }, additionalSubnets: [] },
      { name: 'lab', managedByKvmnet: true, metadataVersion: 1, forwardMode: 'nat', kind: 'nat', bridge: labSpec.bridge, ipv4: labSpec.ipv4, dhcp: labSpec.dhcp, additionalSubnets: [] },
    ];
    return toHostNetworkState(this.snapshot, { records: this.records, problems: [] }, definitions, this.ipForward);
  };

  run = async (plan: Plan, onProgress: (event: StepProgress) => void) => {
    this.plans.push(plan);
    for (const event of this.progress) onProgress(event);
    return this.outcome;
  };
}

export async function runWith(engine: NetworkEngine, ...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    interrupted: () => new Promise(() => {}),
  }, engine);
  return { code, stdout, stderr };
}
