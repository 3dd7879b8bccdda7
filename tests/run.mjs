#!/usr/bin/env node
// The whole suite in one command: build, type-check, lint, then every vitest project.
// Ends with the line CI reads: "N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { readFileSync, mkdirSync } from 'node:fs';

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  console.error(`KVMNet needs Node 22 or newer; this is ${process.version}. Install it with: npm install -g node@22`);
  process.exit(1);
}

const gates = [
  ['build', ['npm', 'run', '--silent', 'build']],
  ['typecheck', ['npm', 'run', '--silent', 'typecheck']],
  ['lint', ['npm', 'run', '--silent', 'lint']],
];
let passed = 0;
let failed = 0;
let skipped = 0;
for (const [name, [cmd, ...args]] of gates) {
  console.log(`\n▶ ${name}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status === 0) passed++;
  else {
    failed++;
    console.error(`✗ ${name} failed`);
    if (name === 'build') break;
  }
}

if (failed === 0 || passed > 0) {
  mkdirSync('test-results', { recursive: true });
  const report = 'test-results/vitest.json';
  console.log('\n▶ vitest');
  const extra = process.argv.slice(2);
  const run = spawnSync('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...extra], { stdio: 'inherit' });
  try {
    const json = JSON.parse(readFileSync(report, 'utf8'));
    passed += json.numPassedTests;
    skipped += json.numPendingTests + json.numTodoTests;
    // A file that fails to load, or whose beforeAll throws, has no failed test of its own (its
    // tests show as skipped): count each such file once.
    const brokenFiles = json.testResults.filter((f) => f.status === 'failed' && !f.assertionResults.some((t) => t.status === 'failed')).length;
    failed += json.numFailedTests + brokenFiles;
    if (run.status !== 0 && json.numFailedTests + brokenFiles === 0) {
      failed++;
      console.error(`✗ vitest exited with ${run.status} without a failed test to show for it`);
    }
  } catch (e) {
    failed++;
    console.error(`✗ vitest produced no report: ${e.message}`);
  }
}

console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed === 0 ? 0 : 1);
