import { runChecks } from '../../../main/core/doctor/run-checks';
import { readDoctorFacts } from '../../../main/host/doctor-facts';

/**
 * Test-only entry, bundled and run inside a lab: the doctor's report on the lab as JSON, and with
 * --facts the facts it was computed from, so a test can tell a wrong reading from a wrong check.
 */
async function main(): Promise<void> {
  const facts = await readDoctorFacts();
  const report = runChecks(facts);
  process.stdout.write(JSON.stringify(process.argv.includes('--facts') ? { report, facts } : report));
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
