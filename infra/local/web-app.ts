// The resident web app under `npm start` (built by infra/web-build.ts), served beside the API as CloudFront
// serves it in AWS: hashed assets cached for a year, index.html never without revalidation, the same
// security headers, and the app's index.html for any other page address a browser opens. API routes and
// /_local are never shadowed: the server asks the route table first. config.json says "local", so the app
// offers the demo sign-in.

import { existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { WEB_DIST } from '../web-build.ts';
import { contentSecurityPolicy, REFERRER_POLICY } from '../web-headers.ts';

const LOCAL_CONFIG = JSON.stringify({ auth: 'local', apiUrl: '' });

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
};

const SECURITY_HEADERS = {
  'content-security-policy': contentSecurityPolicy([]),
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': REFERRER_POLICY,
};

function send(res: ServerResponse, method: string, status: number, headers: Record<string, string>, body: Buffer | string): void {
  res.writeHead(status, { ...SECURITY_HEADERS, ...headers, 'content-length': String(Buffer.byteLength(body)) });
  res.end(method === 'HEAD' ? undefined : body);
}

/** Serves GET and HEAD of the web app; answers false for anything it does not serve. */
export function webAppServer(repoRoot: string) {
  const dist = join(repoRoot, WEB_DIST);
  return function serveWebApp(req: IncomingMessage, res: ServerResponse, url: URL): boolean {
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') return false;
    if (url.pathname === '/config.json') {
      send(res, method, 200, { 'content-type': 'application/json', 'cache-control': 'no-cache' }, LOCAL_CONFIG);
      return true;
    }
    let file: string;
    try {
      file = normalize(join(dist, decodeURIComponent(url.pathname)));
    } catch {
      return false;
    }
    if (file.startsWith(dist + sep) && existsSync(file) && statSync(file).isFile()) {
      // Vite names every asset under /assets/ by its content hash: a new build is a new name.
      const cache = url.pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
      send(res, method, 200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': cache }, readFileSync(file));
      return true;
    }
    // A page address of the app (/my-cases/C…) opened in a browser: the app's shell, which routes it. A
    // missing asset, or a client that does not ask for HTML (curl, fetch), gets the API's 404 instead; but
    // the root is the app whoever asks, so `curl localhost:3000` after `npm start` shows the app is there.
    if (url.pathname === '/' || (!url.pathname.startsWith('/assets/') && (req.headers.accept ?? '').includes('text/html'))) {
      send(res, method, 200, { 'content-type': CONTENT_TYPES['.html']!, 'cache-control': 'no-cache' }, readFileSync(join(dist, 'index.html')));
      return true;
    }
    return false;
  };
}
