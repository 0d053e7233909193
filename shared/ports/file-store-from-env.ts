// The FileStore this process uses: the local server's file store under `npm start` and in tests
// (FILE_STORE=local, LOCAL_FILES_URL, LOCAL_FILES_KEY), the S3 bucket FILES_BUCKET in AWS with the
// function role's credentials.

import { fromEnv } from '@aws-sdk/credential-provider-env';
import { requiredEnv } from '../config.ts';
import type { FileStore } from './file-store.ts';
import { localFileStore } from './local-file-store.ts';
import { s3FileStore } from './s3-file-store.ts';

export const fileStore: FileStore =
  process.env.FILE_STORE === 'local'
    ? localFileStore(() => ({ baseUrl: requiredEnv('LOCAL_FILES_URL'), key: requiredEnv('LOCAL_FILES_KEY') }))
    : s3FileStore({ bucket: requiredEnv('FILES_BUCKET'), region: requiredEnv('AWS_REGION'), credentials: fromEnv() });
