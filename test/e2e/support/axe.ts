/** axe-core in the page under test: its violations, as `id: help (n elements)` lines. */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeResults {
  violations: Array<{ id: string; help: string; nodes: unknown[] }>;
}

/**
 * Runs axe-core on the page as it is. The source goes in through the DevTools protocol (our CSP
 * lets no script in: that is the point of it), never as a script tag.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  // A string, evaluated in the page (where `axe` and `document` are).
  const results = await page.evaluate<AxeResults>('axe.run(document)');
  return results.violations.map(
    (violation) => `${violation.id}: ${violation.help} (${violation.nodes.length})`,
  );
}
