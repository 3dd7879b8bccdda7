import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { version } from '../../package.json';
import { HostSnapshot } from '../core/host-snapshot';
import { planStart } from '../core/plan/network-plans';
import type { IpForwardValue, PlanContext } from '../core/plan/plan-context';
import { observeHost, readHostLinks } from '../host/observe';
import { readIpv6Facts } from '../host/read-ipv6-facts';
import { readProxyArp } from '../host/read-proxy-arp-facts';
import { readNetworkRecords } from '../host/read-networks';
import { applyPlan, type ApplyOutcome } from './apply';
import { randomBridgeMac } from './bridge-mac';
import { procSysHostIo } from './host-io';
import type { ProcessIdentity } from './journal';
import { JournalStore } from './journal-store';
import { selfIdentity } from './process-identity';
import type { HelperMessage, Plan, ProgressEvent, Response } from './protocol';
import { recoverJournals } from './recover';
import { serve } from './request-loop';
import { restoreNetworks } from './restore';
import { PENDING_TIMER_FLAG } from './pending-timer-launch';
import { rollBackOverdue, runPendingTimer } from './pending-timer';
import { restoreLibvirtForwards } from './restore-libvirt-forwards';
import { readLibvirtNetwork } from './libvirt-control';
import { libvirtNetworkSpec } from '../core/network/libvirt-spec';
import { parseLibvirtNetworkXml } from '../core/render/libvirt-network-xml';
import { LIBVIRT_URI } from '../host/read-libvirt';
import { parseVirshNames } from '../host/parse-virsh-names';

/**
 * The root helper: newline-delimited JSON requests on stdin, responses and progress events on
 * stdout, logs on stderr. Rolls back what a previous helper left unfinished before serving, and
 * exits once stdin closes. With --restore (the boot unit), it brings recorded direct networks back
 * up instead, reports each on stderr (the journal) and exits.
 */
const log = (line: string) => process.stderr.write(`kvmnet-helper[${process.pid}]: ${line}\n`);

const store = new JournalStore();
const io = procSysHostIo;

function apply(plan: Plan, writer: ProcessIdentity, requestId: string, emit: (event: Omit<ProgressEvent, 'id' | 'event' | 'total'>) => void): Promise<ApplyOutcome> {
  return applyPlan(plan, {
    io, store, writer, requestId,
    applyId: `${Date.now()}-${process.pid}-${randomUUID().slice(0, 8)}`,
    now: () => new Date().toISOString(),
    bridgeMac: randomBridgeMac,
    emit,
  });
}

async function readIpForward(): Promise<IpForwardValue> {
  const value = (await readFile('/proc/sys/net/ipv4/ip_forward', 'utf8')).trim();
  if (value !== '0' && value !== '1') throw new Error(`net.ipv4.ip_forward reads "${value}", expected 0 or 1`);
  return value;
}

/** at boot libvirtd starts after us (and may be socket-activated): libvirt is not asked */
async function bootContext(records: PlanContext['records']): Promise<PlanContext> {
  const [links, ipForward] = await Promise.all([readHostLinks(), readIpForward()]);
  const [ipv6, proxyArp] = await Promise.all([readIpv6Facts(links.map((l) => l.name)), readProxyArp(links.map((l) => l.name))]);
  const snapshot = HostSnapshot.parse({
    takenAt: new Date().toISOString(), hostname: hostname(), links, routes: [],
    libvirt: { available: false, reason: 'not read while restoring at boot', networks: [], domains: [] },
  });
  return { records, ipForward, ipv6, proxyArp, snapshot };
}

async function restore(writer: ProcessIdentity): Promise<void> {
  const reports = await restoreNetworks({
    readRecords: readNetworkRecords,
    readContext: bootContext,
    planUp: (record, context) => planStart({ backend: 'direct', record, active: false }, context),
    apply: (plan) => apply(plan, writer, 'restore', (e) => { if (e.status === 'failed' || e.status === 'undo-failed') log(`  step ${e.index} (${e.op}) ${e.status}: ${e.message ?? ''}`); }),
  }, log);
  log(`restore finished: ${reports.filter((r) => r.outcome === 'restored').length} brought up, ${reports.filter((r) => r.outcome === 'already-up').length} already up, ${reports.filter((r) => r.outcome === 'failed').length} failed`);
  if (reports.some((r) => r.outcome === 'failed')) process.exitCode = 1;
}

async function restoreForwards(writer: ProcessIdentity): Promise<void> {
  const failed = await restoreLibvirtForwards({
    async listNetworks() {
      const r = await io.runTool('virsh', ['-c', LIBVIRT_URI, 'net-list', '--all', '--name']);
      if (r.exitCode !== 0) throw new Error(`libvirt could not be asked for its networks: ${r.stderr.trim()}`);
      return parseVirshNames(r.stdout);
    },
    async readSpec(name) {
      const facts = await readLibvirtNetwork(io, name);
      return facts?.managedByKvmnet ? libvirtNetworkSpec(parseLibvirtNetworkXml(facts.xml), facts.autostart) : undefined;
    },
    apply: (plan) => apply(plan, writer, 'restore-libvirt-forwards', () => undefined),
  }, log);
  if (failed > 0) process.exitCode = 1;
}

async function main(): Promise<void> {
  const recovered = await recoverJournals(store, io, log).catch((e: Error) => {
    log(`could not recover journals: ${e.message}`);
    return 0;
  });
  const writer = await selfIdentity();
  const timerAt = process.argv.indexOf(PENDING_TIMER_FLAG);
  if (timerAt >= 0) {
    log(await runPendingTimer(process.argv[timerAt + 1] ?? '', (plan) => apply(plan, writer, 'pending-timer', () => undefined)));
    return;
  }
  await rollBackOverdue((plan) => apply(plan, writer, 'overdue', () => undefined), log).catch((e: Error) => log(`could not roll back overdue changes: ${e.message}`));
  if (process.argv.includes('--restore')) {
    await restore(writer);
    return;
  }
  if (process.argv.includes('--restore-libvirt-forwards')) {
    await restoreForwards(writer);
    return;
  }

  // a vanished client must not kill an apply half-way: it finishes (or rolls back) and then we exit
  process.stdout.on('error', () => undefined);
  const write = (message: HelperMessage) => process.stdout.write(`${JSON.stringify(message)}\n`);
  log(`serving (version ${version}, uid ${process.getuid?.() ?? -1}, ${recovered} journal(s) recovered)`);
  await serve(process.stdin, write, async (request, emit): Promise<Response> => {
    switch (request.method) {
      case 'ping':
        return { id: request.id, ok: true, result: { version, uid: process.getuid?.() ?? -1, pid: process.pid, recovered } };
      case 'observe':
        return { id: request.id, ok: true, result: await observeHost() };
      case 'apply': {
        const total = request.plan.steps.length;
        const outcome = await apply(request.plan, writer, request.id, (event) => emit({ ...event, total }));
        return outcome.ok ? { id: request.id, ok: true, result: outcome.result } : { id: request.id, ok: false, error: outcome.error };
      }
    }
  }, log);
  log('stdin closed; exiting');
}

main().catch((e: Error) => {
  log(`fatal: ${e.stack ?? e.message}`);
  process.exit(1);
});
