import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { networkdLabUnavailableReason } from '../../lab/networkd';
import { HelperProcess } from '../helper/helper-process';
import { startBridgedLab, type BridgedLab, type LanSnapshot } from './bridged-lab';

const skip = networkdLabUnavailableReason();
if (skip) console.log(`skipped the helper's bad requests for systemd-networkd steps: ${skip}`);

const apply = (...steps: unknown[]) => JSON.stringify({ id: 'bad', method: 'apply', plan: { steps } });
const bridge = (step: Record<string, unknown>) => ({ op: 'networkd.bridge', network: 'lan', uplink: 'eth0', bridge: 'br-lan', ...step });
const unbridge = (step: Record<string, unknown>) => ({ op: 'networkd.unbridge', network: 'lan', uplink: 'eth0', bridge: 'br-lan', ...step });
/** a networkd record as a client could forge it in the plan itself */
const record = (bridgeName: string) => ({
  op: 'bridged.record', network: 'lan', persistent: true,
  record: {
    format: 1, name: 'lan', uplink: 'eth0', bridge: bridgeName, persistence: 'systemd-networkd', createdAt: '2026-01-02T10:00:00.000Z',
    addressing: { uplink: 'eth0', mac: '02:00:00:00:00:10', mtu: 1500, addresses: [], routes: [] },
  },
});

interface Bad {
  what: string;
  line: string;
  code: 'INVALID_REQUEST' | 'NOT_OWNED' | 'NOT_ALLOWED';
  field: string;
}

const BAD: Bad[] = [
  // names reach file names (10-kvmnet-<bridge>.netdev, 10-kvmnet-<uplink>-port.network) and networkctl's command line
  { what: 'an uplink read as an option', line: apply(bridge({ uplink: '-eth0' })), code: 'INVALID_REQUEST', field: 'plan.steps.0.uplink' },
  { what: 'a bridge read as an option', line: apply(unbridge({ bridge: '--help' })), code: 'INVALID_REQUEST', field: 'plan.steps.0.bridge' },
  { what: 'a bridge name longer than the kernel takes', line: apply(bridge({ bridge: 'br-0123456789abc' })), code: 'INVALID_REQUEST', field: 'plan.steps.0.bridge' },
  { what: 'a bridge name leading out of /etc/systemd/network', line: apply(bridge({ bridge: '../../tmp/x' })), code: 'INVALID_REQUEST', field: 'plan.steps.0.bridge' },
  { what: 'an uplink name leading out of /etc/systemd/network', line: apply(unbridge({ uplink: '../50-eth0' })), code: 'INVALID_REQUEST', field: 'plan.steps.0.uplink' },
  { what: 'a network name leading out of /etc/kvmnet/bridged', line: apply(unbridge({ network: '../x' })), code: 'INVALID_REQUEST', field: 'plan.steps.0.network' },
  // the helper names KVMNet's files itself (10-kvmnet-*): a client never names a file or its text
  { what: 'a file of the client\'s choosing (the user\'s own .network)', line: apply(bridge({ files: [{ name: '50-eth0.network', text: '' }] })), code: 'INVALID_REQUEST', field: 'plan.steps.0.files' },
  { what: 'a removal naming the user\'s own .network', line: apply(unbridge({ file: '/etc/systemd/network/50-eth0.network' })), code: 'INVALID_REQUEST', field: 'plan.steps.0.file' },
  { what: 'the uplink as its own bridge', line: apply(bridge({ bridge: 'eth0' })), code: 'INVALID_REQUEST', field: 'plan.steps.0.bridge' },
  { what: 'an uplink that does not exist', line: apply(bridge({ uplink: 'eth9' })), code: 'INVALID_REQUEST', field: 'plan.steps.0.uplink' },
  // only the bridge the network's record names: networkd bridges carry no KVMNet alias
  { what: 'bridging for a network without a record', line: apply(bridge({})), code: 'NOT_OWNED', field: 'plan.steps.0.network' },
  { what: 'unbridging the user\'s own bridge', line: apply(unbridge({ bridge: 'br-user' })), code: 'NOT_OWNED', field: 'plan.steps.0.network' },
  { what: 'the user\'s own bridge taken over under a record forged in the plan', line: apply(record('br-user'), bridge({ bridge: 'br-user' })), code: 'NOT_OWNED', field: 'plan.steps.1.bridge' },
  { what: 'unbridging another bridge than the one the forged record names', line: apply(record('br-lan'), unbridge({ bridge: 'br-user' })), code: 'NOT_OWNED', field: 'plan.steps.1.network' },
  { what: 'a plan that removes the record, then bridges', line: apply(record('br-lan'), { op: 'bridged.record', network: 'lan', persistent: true, record: null }, bridge({})), code: 'NOT_OWNED', field: 'plan.steps.2.network' },
];

/**
 * The helper's refusals of networkd.bridge / networkd.unbridge steps a client could abuse, on a
 * laptop where systemd-networkd configures eth0 from the user's file and the user has a bridge of
 * their own (br-user): each is refused before anything runs, naming the field.
 */
describe.skipIf(skip)('bad requests for systemd-networkd bridge steps', () => {
  let b: BridgedLab;
  let helper: HelperProcess;
  let before: LanSnapshot;

  beforeAll(async () => {
    b = await startBridgedLab({ networkManager: false, networkd: 'static' });
    await b.lab.sh('ip', ['link', 'add', 'br-user', 'type', 'bridge']);
    helper = HelperProcess.start(b.lab);
    before = await b.snapshot();
  }, 120_000);
  afterAll(async () => {
    await helper?.close();
    await b?.close();
  });

  it.each(BAD)('refuses $what with $code at $field', async ({ line, code, field }) => {
    const from = helper.messages.length;
    helper.sendLine(line);
    await helper.waitFor((messages) => messages.slice(from).some((m) => 'ok' in m));
    const answers = helper.messages.slice(from);
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({ ok: false, error: { code, field, message: expect.stringContaining(field) } });
  });

  it('changed nothing: /etc/systemd/network, links, addresses and routes as they were, no record', async () => {
    expect(await b.snapshot()).toEqual(before);
    expect((await b.lab.run('ls', ['/etc/kvmnet/bridged'])).stdout).toBe('');
  });
});
