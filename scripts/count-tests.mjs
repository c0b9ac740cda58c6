// Sums the vitest JSON reports of every workspace package (packages/, examples/, tools/) into the
// one line CI reads: "N passed, N failed". A failed typecheck/lint, or a package with a test script
// whose tests crashed before writing a report, counts as one failure each, so a broken run can
// never look green.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [checkStatus = '0', testStatus = '0'] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
let reports = 0;
const folders = ['packages', 'examples', 'tools']
  .filter((root) => existsSync(root))
  .flatMap((root) => readdirSync(root).map((name) => join(root, name)));
for (const folder of folders) {
  const manifest = join(folder, 'package.json');
  if (!existsSync(manifest) || !JSON.parse(readFileSync(manifest, 'utf8')).scripts?.test) continue;
  const path = join(folder, '.vitest-report.json');
  if (!existsSync(path)) {
    console.log(`${folder}: no test report (its tests did not run or crashed)`);
    failed++;
    continue;
  }
  reports++;
  const report = JSON.parse(readFileSync(path, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + (report.numTodoTests ?? 0);
  // A test file that fails to load counts as a failed suite with no failed test.
  for (const suite of report.testResults ?? []) {
    if (suite.status === 'failed' && (suite.assertionResults ?? []).length === 0) failed++;
  }
}
if (checkStatus !== '0') failed++;
if (testStatus !== '0' && failed === 0) failed++;
if (reports === 0) failed++;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
