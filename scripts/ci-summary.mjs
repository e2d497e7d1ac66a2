// Adds up the Vitest JSON reports of a CI run and prints one closing line: "N passed, N failed".
// Fails when a report is missing, when a suite ran no test, or when any test failed or was skipped.
import { readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
let problems = 0;
for (const file of process.argv.slice(2)) {
  let report;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    console.error(`ci: report ${file} is missing or unreadable`);
    problems++;
    continue;
  }
  const ran = report.numPassedTests + report.numFailedTests;
  console.log(
    `${file.split('/').pop()}: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ` +
      `${report.numPendingTests + report.numTodoTests} skipped, ${report.numTotalTestSuites} suites`,
  );
  if (ran === 0) {
    console.error(`ci: ${file} ran no test`);
    problems++;
  }
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
}
if (skipped > 0) {
  console.error(`ci: ${skipped} tests were skipped; CI never skips silently`);
  problems++;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || problems > 0 ? 1 : 0);
