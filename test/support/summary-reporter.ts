// vitest 4 reporter: one last plain line, e.g. "opsdeck tests: 41 passed, 0 failed, 2 skipped".
// "failed" also counts test files that failed to load (errors outside any test) and unhandled
// errors, so a broken run never reports 0 failed.
import type { Reporter, SerializedError, TestModule, TestRunEndReason } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<SerializedError>,
    _reason: TestRunEndReason,
  ): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const mod of testModules) {
      let failedHere = 0;
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failedHere++;
        else if (state === 'skipped') skipped++;
      }
      // A module that failed outside its tests (import error, failing beforeAll/afterAll).
      if (failedHere === 0 && (mod.errors().length > 0 || mod.state() === 'failed')) failedHere = 1;
      failed += failedHere;
    }
    failed += unhandledErrors.length;
    const line = `opsdeck tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
    process.stdout.write(`${line}\n`);
  }
}
