/**
 * The functions that load no AWS SDK, bundled as deployed (scripts/lib/bundle.ts): each within
 * the bundle budget the bench holds it to (scripts/lib/bench/targets.ts), and without the SDK.
 * What a cold start parses grows with every shared module; this catches it before the bench.
 */
import { join } from 'node:path';
import { build } from 'esbuild';
import { BUNDLE_OPTIONS, FUNCTIONS_DIR } from '../../scripts/lib/bundle';
import { FUNCTION_BUDGETS } from '../../scripts/lib/bench/targets';

jest.setTimeout(120_000);

const WITHOUT_SDK = Object.entries(FUNCTION_BUDGETS).flatMap(([name, budget]) =>
  budget.floor === 'bare node' ? [{ name, limit: budget.bundleBytes }] : [],
);

async function bundled(name: string): Promise<{ bytes: number; inputs: string[] }> {
  const result = await build({
    ...BUNDLE_OPTIONS,
    entryPoints: [join(FUNCTIONS_DIR, `${name}.ts`)],
    outfile: join(FUNCTIONS_DIR, '..', '.unused', `${name}.js`),
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const output = Object.values(result.metafile.outputs).find((out) => out.entryPoint);
  if (!output) throw new Error(`no bundle for ${name}`);
  return { bytes: output.bytes, inputs: Object.keys(output.inputs) };
}

it('holds the functions without an SDK (consent, logout, the fixed pages, the forms)', () => {
  expect(WITHOUT_SDK.map(({ name }) => name)).toEqual(
    expect.arrayContaining(['consent-get', 'consent-post', 'logout-post', 'signed-out']),
  );
});

it.each(WITHOUT_SDK)(
  'bundles $name within $limit bytes, without the AWS SDK',
  async ({ name, limit }) => {
    const { bytes, inputs } = await bundled(name);

    expect(
      inputs.filter((input) => input.includes('@aws-sdk') || input.includes('@smithy')),
    ).toEqual([]);
    expect(bytes).toBeLessThanOrEqual(limit);
  },
);
