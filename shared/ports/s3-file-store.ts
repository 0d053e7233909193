// AWS adapter of the FileStore port: presigned S3 URLs (SigV4 with the signature in the query string) made
// with the SDK's own signer, @smithy/signature-v4, which every bundle already holds for DynamoDB. The S3
// client and @aws-sdk/s3-request-presigner would add about 156 KB to a function (README, "Materials as
// real files"). Every header the request names is signed, `content-type` and `content-length` included,
// so a URL made for one file type and size is refused by S3 for any other.

import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { expiresAt, type FileStore } from './file-store.ts';

export type S3FileStoreOptions = { bucket: string; region: string; credentials: AwsCredentialIdentityProvider };

/** Virtual-hosted style; the AWS China regions have their own domain. */
export const s3Host = (bucket: string, region: string) => `${bucket}.s3.${region}.${region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com'}`;

export function s3FileStore({ bucket, region, credentials }: S3FileStoreOptions): FileStore {
  const hostname = s3Host(bucket, region);
  const signer = new SignatureV4({ service: 's3', region, credentials, sha256: Sha256, uriEscapePath: false, applyChecksum: false });
  return {
    async sign({ method, key, query = {}, headers = {}, expiresInSeconds }, now = new Date()) {
      const path = `/${key.split('/').map(encodeURIComponent).join('/')}`;
      const named = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
      const presigned = await signer.presign(
        // Presigned S3 URLs never sign the payload: its length and type are what the signed headers pin down.
        { method, protocol: 'https:', hostname, path, query, headers: { ...named, host: hostname, 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD' } },
        {
          expiresIn: expiresInSeconds,
          signingDate: now,
          signableHeaders: new Set(Object.keys(named)),
          // x-amz-* headers stay headers the sender must send (the SDK would otherwise move them into the URL).
          unhoistableHeaders: new Set(Object.keys(named).filter((name) => name.startsWith('x-amz-'))),
        },
      );
      const search = Object.entries(presigned.query ?? {})
        .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`)
        .join('&');
      return { url: `https://${hostname}${path}?${search}`, expiresAt: expiresAt(now, expiresInSeconds) };
    },
  };
}
