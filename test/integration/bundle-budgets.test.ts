/**
 * The functions, bundled as deployed (scripts/lib/bundle.ts). Those that load no AWS SDK: each
 * within the bundle budget the bench holds it to (scripts/lib/bench/targets.ts), and without the
 * SDK. Those that talk to DynamoDB: without any SDK too (our own client, shared/aws/dynamodb;
 * the mailing ones send through our own SES request, shared/mail/ses.ts). What a cold start
 * parses grows with every shared module; this catches it before the bench.
 */
import { join } from 'node:path';
import { build } from 'esbuild';
import { BUNDLE_OPTIONS, FUNCTIONS_DIR } from '../../scripts/lib/bundle';
import { FUNCTION_BUDGETS } from '../../scripts/lib/bench/targets';

jest.setTimeout(120_000);

const WITHOUT_SDK = Object.entries(FUNCTION_BUDGETS).flatMap(([name, budget]) =>
  budget.floor === 'bare node' ? [{ name, limit: budget.bundleBytes }] : [],
);

const WITH_DYNAMODB = Object.entries(FUNCTION_BUDGETS).flatMap(([name, budget]) =>
  budget.floor === 'document client' ? [name] : [],
);

const isSdk = (input: string) => input.includes('@aws-sdk') || input.includes('@smithy');

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

    expect(inputs.filter(isSdk)).toEqual([]);
    expect(bytes).toBeLessThanOrEqual(limit);
  },
);

it('holds the functions that talk to DynamoDB (sign-in, the token hook, health, the account)', () => {
  expect(WITH_DYNAMODB).toEqual(
    expect.arrayContaining(['login-get', 'login-post', 'token-hook', 'health', 'account-post']),
  );
});

it.each(WITH_DYNAMODB)('bundles %s without any AWS SDK', async (name) => {
  const { inputs } = await bundled(name);

  expect(inputs.filter(isSdk)).toEqual([]);
});

it('holds the functions that send mail (through our own SES request: shared/mail/ses.ts)', () => {
  expect(WITH_DYNAMODB).toEqual(
    expect.arrayContaining(['recovery-post', 'reset-post', 'signup-post', 'verify-send']),
  );
});

// @simplewebauthn/server marked free of side effects (scripts/esbuild-plugins.cjs): a bundle
// keeps only the parts of it that it uses.
const CERTIFICATE_CODE = ['@peculiar/x509', 'tsyringe', 'reflect-metadata'];
const certificateCode = (inputs: string[]) =>
  inputs.filter((input) =>
    CERTIFICATE_CODE.some((name) => input.includes(`node_modules/${name}/`)),
  );

it('bundles the sign-in with a passkey without the certificate checks of attestation', async () => {
  const { inputs } = await bundled('passkey-post');

  expect(inputs).toEqual(
    expect.arrayContaining([
      expect.stringMatching(
        /@simplewebauthn\/server\/esm\/authentication\/verifyAuthenticationResponse\.js$/,
      ),
    ]),
  );
  expect(certificateCode(inputs)).toEqual([]);
});

it('keeps in the registration what its attestation checks need', async () => {
  const { inputs } = await bundled('account-passkey-post');

  expect(inputs).toEqual(
    expect.arrayContaining([
      expect.stringMatching(
        /@simplewebauthn\/server\/esm\/registration\/verifyRegistrationResponse\.js$/,
      ),
      expect.stringMatching(/@simplewebauthn\/server\/esm\/helpers\/validateCertificatePath\.js$/),
    ]),
  );
  expect(certificateCode(inputs).length).toBeGreaterThan(0);
});
