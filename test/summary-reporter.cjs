// Jest reporter: writes the run's own counts to .cache/test-summary.json and prints them as the
// last line of the run, in the form CI reads: "tests: N passed, N failed, N skipped".
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

class SummaryReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    const summary = {
      passed: results.numPassedTests,
      // A suite that failed to run (a syntax error, a failing beforeAll) counts as a failure.
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests + results.numTodoTests,
    };
    const dir = join(this.rootDir, '.cache');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'test-summary.json'), JSON.stringify(summary));
    process.stdout.write(
      `tests: ${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped\n`,
    );
  }
}

module.exports = SummaryReporter;
