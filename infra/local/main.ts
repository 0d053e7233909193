// `npm start`: runs the whole platform on this machine. PORT (default 3000), DATA_DIR (default .data), and
// NOTIFIER: `outbox` (default) or `aliyun` (the Aliyun SMS adapter against the local Aliyun stand-in).

import { LOCAL_NOTIFIERS, startLocalPlatform, type LocalNotifier } from './server.ts';
import { StartupError } from './startup-error.ts';

// The local platform runs on Node 20 by design; Lambda runs the newest runtime, so the SDK's notice is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const port = Number(process.env.PORT ?? 3000);
const dataDir = process.env.DATA_DIR ?? '.data';

const maxWaitMs = process.env.LOCAL_MAX_WAIT_MS ? Number(process.env.LOCAL_MAX_WAIT_MS) : undefined;
const notifier = (process.env.NOTIFIER ?? 'outbox') as LocalNotifier;
if (!LOCAL_NOTIFIERS.includes(notifier)) {
  console.error(`npm start: NOTIFIER=${notifier} needs AWS; locally use ${LOCAL_NOTIFIERS.join(' or ')}.`);
  process.exit(2);
}

if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`npm start: PORT must be a port number (0–65535), not ${process.env.PORT}.`);
  process.exit(2);
}

const platform = await startLocalPlatform({ port, dataDir, maxWaitMs, notifier }).catch((error: unknown) => {
  if (!(error instanceof StartupError)) throw error;
  console.error(`npm start: ${error.message}`);
  process.exit(1);
});
console.log(`listening on ${platform.url}`);

let exiting = false;
const shutdown = async (signal: string) => {
  if (exiting) return;
  exiting = true;
  console.log(`${signal}: stopping`);
  await platform.stop();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
