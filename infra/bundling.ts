// How every Lambda is bundled: the one set of esbuild options that the CDK function construct deploys
// and the benchmarks measure. ESM, minified, with source maps, the AWS SDK bundled (not taken from the
// runtime) so a function runs the exact SDK version it was tested with. Paths are relative to the
// repository root, where both run esbuild.

export const LAMBDA_TARGET = 'node22';

/** CommonJS dependencies inside an ESM bundle still call require(); give them one. */
export const ESM_REQUIRE_BANNER = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

export const LAMBDA_BUNDLE = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: LAMBDA_TARGET,
  minify: true,
  sourcemap: true,
  mainFields: ['module', 'main'] as string[],
  banner: { js: ESM_REQUIRE_BANNER },
  /** Chinese text (templates, catalog, centres) as UTF-8, 3 bytes a character instead of a 6-byte \uXXXX escape. */
  charset: 'utf8',
  external: [] as string[],
  /**
   * Lambda-only credential chain (infra/lambda-credentials.ts); a Map-based endpoint cache
   * (infra/lambda-endpoint-cache.ts); no event-stream codec, which no platform call uses (infra/lambda-no-event-streams.ts).
   */
  alias: {
    '@aws-sdk/credential-provider-node': './infra/lambda-credentials.ts',
    '@aws-sdk/endpoint-cache': './infra/lambda-endpoint-cache.ts',
    '@smithy/core/event-streams': './infra/lambda-no-event-streams.ts',
  },
} as const;
