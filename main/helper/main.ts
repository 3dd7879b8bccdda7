import { randomUUID } from 'node:crypto';
import { version } from '../../package.json';
import { observeHost } from '../host/observe';
import { applyPlan } from './apply';
import { randomBridgeMac } from './bridge-mac';
import { procSysHostIo } from './host-io';
import { JournalStore } from './journal-store';
import { selfIdentity } from './process-identity';
import type { HelperMessage, Response } from './protocol';
import { recoverJournals } from './recover';
import { serve } from './request-loop';

/**
 * The root helper: newline-delimited JSON requests on stdin, responses and progress events on
 * stdout, logs on stderr. Rolls back what a previous helper left unfinished before serving, and
 * exits once stdin closes.
 */
const log = (line: string) => process.stderr.write(`kvmnet-helper[${process.pid}]: ${line}\n`);

// a vanished client must not kill an apply half-way: it finishes (or rolls back) and then we exit
process.stdout.on('error', () => undefined);
const write = (message: HelperMessage) => process.stdout.write(`${JSON.stringify(message)}\n`);

async function main(): Promise<void> {
  const store = new JournalStore();
  const io = procSysHostIo;
  const recovered = await recoverJournals(store, io, log).catch((e: Error) => {
    log(`could not recover journals: ${e.message}`);
    return 0;
  });
  const writer = await selfIdentity();
  log(`serving (version ${version}, uid ${process.getuid?.() ?? -1}, ${recovered} journal(s) recovered)`);

  await serve(process.stdin, write, async (request, emit): Promise<Response> => {
    switch (request.method) {
      case 'ping':
        return { id: request.id, ok: true, result: { version, uid: process.getuid?.() ?? -1, pid: process.pid, recovered } };
      case 'observe':
        return { id: request.id, ok: true, result: await observeHost() };
      case 'apply': {
        const outcome = await applyPlan(request.plan, {
          io, store, writer,
          requestId: request.id,
          applyId: `${Date.now()}-${process.pid}-${randomUUID().slice(0, 8)}`,
          now: () => new Date().toISOString(),
          bridgeMac: randomBridgeMac,
          emit: (event) => emit({ ...event, total: request.plan.steps.length }),
        });
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
