// Jest reporter: writes the run's own counts to .cache/test-summary.json and prints them as the
// last line of the run, in the form CI reads: "tests: N passed, N failed, N skipped". The line
// before it gives the tests passed per jest project (jest.config.cjs), so a run shows that every
// project ran.
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

class SummaryReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(contexts, results) {
    const summary = {
      passed: results.numPassedTests,
      // A suite that failed to run (a syntax error, a failing beforeAll) counts as a failure.
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests + results.numTodoTests,
      projects: {},
    };
    const nameOf = (displayName) => displayName?.name ?? 'default';
    // Each project that was selected, with its counts (0 for one whose files all failed to run).
    for (const { config } of contexts) {
      summary.projects[nameOf(config.displayName)] = { passed: 0, failed: 0, skipped: 0 };
    }
    for (const file of results.testResults) {
      const project = (summary.projects[nameOf(file.displayName)] ??= {
        passed: 0,
        failed: 0,
        skipped: 0,
      });
      project.passed += file.numPassingTests;
      project.failed += file.numFailingTests + (file.testExecError ? 1 : 0);
      project.skipped += file.numPendingTests + file.numTodoTests;
    }
    const dir = join(this.rootDir, '.cache');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'test-summary.json'), JSON.stringify(summary));
    const perProject = Object.entries(summary.projects)
      .map(([name, counts]) => `${name} ${counts.passed}`)
      .join(', ');
    process.stdout.write(
      `passed per project: ${perProject}\n` +
        `tests: ${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped\n`,
    );
  }
}

module.exports = SummaryReporter;
