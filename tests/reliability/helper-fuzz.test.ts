import { describe, expect, it } from 'vitest';
import { HostSnapshot } from '../../main/core/host-snapshot';
import { MAX_REQUEST_BYTES, ResultByMethod, type HelperMessage } from '../../main/helper/protocol';
import type { HostState } from '../lab/host-state';
import { labUnavailableReason, startLab } from '../lab/lab';
import { addLaptopLan } from '../lab/laptop-lan';
import { startLibvirtd } from '../lab/libvirtd';
import { HelperProcess } from '../integration/helper/helper-process';
import { addForeignFirewall } from '../integration/helper/network-fixtures';
import { settledHostState, skipDuplicateAddressDetection } from '../integration/helper/host-checks';
import { fuzzedLines, UNOWNED, type FuzzLine } from './fuzzed-requests';
import { seededRandom, seedFrom } from './seeded-random';

const skip = labUnavailableReason();
if (skip) console.log(`skipped the helper fuzz record: ${skip}`);

/**
 * 10,000 seeded request lines against a real helper in a lab (fuzzed-requests.ts): random bytes,
 * malformed JSON, wrong types, injection strings in every string field, huge payloads, deep
 * nesting, unknown fields, and well-formed steps aimed at what KVMNet does not own (the laptop's
 * eth0, another program's bridge and its port, libvirt's own network, another nft table).
 *
 * - No crash: the helper answers every line that is not blank, in order, and a ping after the
 *   batch still works.
 * - Every message parses with the protocol's zod schemas (HelperProcess parses each), every ok
 *   answer with its method's result schema; unowned targets are always refused.
 * - Nothing outside KVMNet's own things changed: the host minus what KVMNet owns is identical
 *   after the batch (a fuzzed request may legitimately make something of KVMNet's own).
 */
const REQUESTS = Number(process.env.KVMNET_RELIABILITY_FUZZ ?? 10_000);
/** lines written before waiting for their answers: the helper serves one at a time anyway */
const CHUNK = 250;

type Answer = Extract<HelperMessage, { ok: boolean }>;

/** the host without what KVMNet owns: links aliased kvmnet:*, their addresses and routes, table inet kvmnet, its files and daemons */
function foreignPart(state: HostState): unknown {
  const links = state.links as { name: string; alias?: string }[];
  const owned = new Set(links.filter((l) => l.alias?.startsWith('kvmnet:')).map((l) => l.name));
  return {
    links: links.filter((l) => !owned.has(l.name)),
    addresses: state.addresses.filter((a) => !owned.has((a as string).split(' ')[0]!)),
    routes: state.routes.filter((r) => !owned.has((JSON.parse(r as string) as { dev?: string }).dev ?? '')),
    nftables: state.nftables.split(/^(?=table )/m).map((t) => t.trim()).filter((t) => t !== '' && !t.startsWith('table inet kvmnet ')),
    sysctls: Object.fromEntries(Object.entries(state.sysctls).filter(([path]) => !owned.has(path.split('/')[6] ?? ''))),
    dnsmasq: state.dnsmasq.filter((args) => !args.includes('/run/kvmnet/')),
    libvirtNetworks: state.libvirtNetworks,
  };
}

describe.skipIf(skip)('10,000 fuzzed helper requests', () => {
  // a minute or two on an idle 2-core machine; the bound leaves room for a loaded one
  it('the helper answers each with a valid error or a valid answer, never crashes, and changes nothing it does not own', { timeout: 1_200_000 }, async () => {
    const seed = seedFrom('KVMNET_RELIABILITY_SEED', 'helper fuzz record');
    const lines = fuzzedLines(seededRandom(seed), REQUESTS);
    const lab = await startLab();
    const helper = HelperProcess.start(lab);
    try {
      await skipDuplicateAddressDetection(lab);
      await addLaptopLan(lab);
      await addForeignFirewall(lab);
      await lab.sh('ip', ['-batch', '-'], { input: `link add ${UNOWNED.bridge} type bridge\nlink add ${UNOWNED.port} type veth peer name vo1\nlink set ${UNOWNED.port} master ${UNOWNED.bridge}\nlink set ${UNOWNED.bridge} up\naddr add 10.77.0.1/24 dev ${UNOWNED.bridge}\n` });
      await startLibvirtd(lab);
      await lab.sh('tee', ['/run/default.xml'], { input: `<network><name>${UNOWNED.libvirtNetwork}</name><forward mode='nat'/><bridge name='${UNOWNED.libvirtBridge}'/><ip address='192.168.122.1' netmask='255.255.255.0'/></network>` });
      await lab.sh('virsh', ['-c', 'qemu:///system', 'net-define', '/run/default.xml']);
      await lab.sh('virsh', ['-c', 'qemu:///system', 'net-start', UNOWNED.libvirtNetwork]);
      const before = foreignPart(await settledHostState(lab));

      const started = Date.now();
      const tally = new Map<string, { sent: number; refused: number; answered: number }>();
      const answers: { line: FuzzLine; answer: Answer }[] = [];
      for (let from = 0; from < lines.length; from += CHUNK) {
        const chunk = lines.slice(from, from + CHUNK);
        const seen = helper.messages.length;
        for (const { line } of chunk) helper.sendLine(line);
        const expected = chunk.filter((l) => l.expect !== 'no answer');
        let counted = seen;
        let got = 0;
        await helper.waitFor((messages) => {
          for (; counted < messages.length; counted++) if ('ok' in messages[counted]!) got++;
          return got >= expected.length;
        }, 120_000);
        const replies = helper.messages.slice(seen).filter((m): m is Answer => 'ok' in m);
        expect(replies.length, `lines ${from}–${from + chunk.length - 1}: one answer per non-blank line`).toBe(expected.length);
        expected.forEach((line, i) => answers.push({ line, answer: replies[i]! }));
      }
      const elapsed = Date.now() - started;

      for (const { line, answer } of answers) {
        const t = tally.get(line.category) ?? { sent: 0, refused: 0, answered: 0 };
        t.sent++;
        if (answer.ok) t.answered++;
        else t.refused++;
        tally.set(line.category, t);
        const what = `${line.category}: ${line.line.slice(0, 300)}`;
        // answers come in order; one to a line whose id could be read carries that id (a line over the limit is never read)
        let id: unknown = null;
        if (Buffer.byteLength(line.line) <= MAX_REQUEST_BYTES) try {
          const parsed = JSON.parse(line.line) as { id?: unknown; method?: unknown };
          if (parsed !== null && typeof parsed === 'object' && typeof parsed.id === 'string' && /^[A-Za-z0-9_.:-]{1,64}$/.test(parsed.id)) id = parsed.id;
        } catch { /* not JSON: no id */ }
        expect(answer.id, what).toBe(id);
        if (line.expect === 'refused') expect(answer.ok, what).toBe(false);
        if (line.expect === 'answered') expect(answer.ok, `${what}: ${JSON.stringify(answer).slice(0, 300)}`).toBe(true);
        if (answer.ok) {
          const method = (JSON.parse(line.line) as { method: keyof typeof ResultByMethod }).method;
          expect(ResultByMethod[method].safeParse(answer.result).success, what).toBe(true);
        } else if (answer.error.code === 'INVALID_REQUEST' && answer.error.field !== undefined) {
          // bad input names the field at fault
          expect(answer.error.message.startsWith(answer.error.field), what).toBe(true);
        }
      }

      expect(helper.hasExited, 'the helper is still running').toBe(false);
      expect((await helper.request({ method: 'ping' })).response).toMatchObject({ ok: true });
      expect(helper.stderr).not.toMatch(/fatal|failed unexpectedly/);
      // a fuzzed request may have defined KVMNet's own libvirt network (allowed): its bridge, dnsmasq and
      // libvirt's rules for it are libvirt's doing and carry no kvmnet: alias, so it goes before comparing
      const observed = (await helper.request({ method: 'observe' })).response;
      if (!observed.ok) throw new Error(`observe failed: ${observed.error.message}`);
      for (const network of HostSnapshot.parse(observed.result).libvirt.networks.filter((n) => n.managedByKvmnet)) {
        // undefined while running (a fuzzed undefine may do that), it is transient: the helper refuses
        // to stop it, since that would delete it for good, so the test itself ends it
        if (network.active && !network.persistent) {
          await lab.sh('virsh', ['-c', 'qemu:///system', 'net-destroy', network.name]);
          continue;
        }
        const steps = [
          ...(network.active ? [{ op: 'libvirt.stop', network: network.name }] : []),
          { op: 'libvirt.undefine', network: network.name },
        ];
        const removed = (await helper.apply(steps)).response;
        expect(removed, `removing KVMNet's libvirt network ${network.name}: ${JSON.stringify(removed)}`).toMatchObject({ ok: true });
      }
      expect(foreignPart(await settledHostState(lab))).toEqual(before);

      const rows = [...tally].map(([name, t]) => `  ${name.padEnd(24)} ${String(t.sent).padStart(5)} sent, ${String(t.refused).padStart(5)} refused, ${String(t.answered).padStart(4)} answered`);
      console.log(`helper fuzz record (seed ${seed}): ${lines.length} lines, ${answers.length} answers in ${(elapsed / 1000).toFixed(1)} s; the helper never crashed, nothing it does not own changed\n${rows.join('\n')}`);
    } finally {
      await helper.close();
      await lab.close();
    }
  });
});
