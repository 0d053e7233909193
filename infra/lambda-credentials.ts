// Bundled in place of @aws-sdk/credential-provider-node (see infra/bundling.ts). Lambda always hands a
// function its role's credentials in environment variables, so the default chain's SSO, STS, INI-file,
// process and instance-metadata providers (about 85 KB of every bundle) can never be used there.

import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider = () => fromEnv();
