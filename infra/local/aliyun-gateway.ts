// What Aliyun's OpenAPI gateway does to every request before the product sees it, for the local stand-ins of
// Aliyun products (SMS, identity checks): reads the body within a limit, verifies the ACS3-HMAC-SHA256
// signature with the caller's AccessKey, the content hash, the date (15 minutes either way) and the nonce (once
// only), and checks the API version; then hands the call to the product and answers in Aliyun's shapes.
// Refusals carry the gateway's documented codes. Each stand-in keeps its test knobs under <prefix>_control/.

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { parseAuthorization, sha256Hex, verifyAcs3 } from '../../shared/ports/aliyun-sms-signing.ts';

const MAX_CLOCK_SKEW_MS = 15 * 60_000;

export class AliyunApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) fail(new AliyunApiError(413, 'InvalidParameter', 'request body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => done(Buffer.concat(chunks)));
    req.on('error', fail);
  });
}

export function sendJson(res: ServerResponse, status: number, body?: unknown) {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json;charset=utf-8' });
  res.end(JSON.stringify(body));
}

/** The request's parameters: the query string, and a form body if it has one (RPC APIs take either). */
export function rpcParams(req: IncomingMessage, url: URL, body: Buffer): Record<string, string> {
  const params = Object.fromEntries(url.searchParams);
  if (String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) Object.assign(params, Object.fromEntries(new URLSearchParams(body.toString('utf8'))));
  return params;
}

type AliyunGateway = {
  /** Verifies the request as the gateway does and returns its action (x-acs-action); throws AliyunApiError. */
  authenticate(req: IncomingMessage, url: URL, body: Buffer): string;
};

function aliyunGateway(options: { accessKeys: Record<string, string>; version: string }): AliyunGateway {
  const nonces = new Map<string, number>();
  return {
    authenticate(req, url, body) {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[name] = value;
      const { authorization: header, ...sent } = headers;
      const authorization = parseAuthorization(header);
      if (authorization === null) throw new AliyunApiError(400, 'IncompleteSignature', 'The request signature does not conform to Aliyun standards.');
      const secret = options.accessKeys[authorization.accessKeyId];
      if (secret === undefined) throw new AliyunApiError(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
      const query = Object.fromEntries(url.searchParams);
      const signed = sent['x-acs-content-sha256'] === sha256Hex(body) && verifyAcs3(secret, authorization, { method: req.method!, path: url.pathname, query, headers: sent, body });
      if (!signed) throw new AliyunApiError(400, 'SignatureDoesNotMatch', 'Specified signature is not matched with our calculation.');
      const date = Date.parse(sent['x-acs-date'] ?? '');
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(sent['x-acs-date'] ?? '') || Math.abs(Date.now() - date) > MAX_CLOCK_SKEW_MS) {
        throw new AliyunApiError(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.');
      }
      const nonce = sent['x-acs-signature-nonce'] ?? '';
      for (const [seen, at] of nonces) if (Date.now() - at > MAX_CLOCK_SKEW_MS) nonces.delete(seen);
      if (nonce === '' || nonces.has(nonce)) throw new AliyunApiError(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
      nonces.set(nonce, Date.now());
      if (sent['x-acs-version'] !== options.version) throw new AliyunApiError(400, 'InvalidVersion', 'Specified parameter Version is not valid.');
      return sent['x-acs-action'] ?? '';
    },
  };
}

export type AliyunProduct = {
  /** Where the stand-in answers, e.g. /_sandbox/aliyun-sms/. */
  prefix: string;
  version: string;
  accessKeys: Record<string, string>;
  /** The product's host, as Aliyun names it in HostId. */
  hostId: string;
  maxBodyBytes: number;
  /** The stand-in's test knobs, under <prefix>_control/. */
  control(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): Promise<void>;
  /**
   * One call that passed the gateway: the product's JSON answer (sent with 200 unless the caller hung up), or an
   * AliyunApiError; a refusal with status 200 is the product's own ({ Code, Message, RequestId }).
   */
  call(action: string, params: Record<string, string>, requestId: string, res: ServerResponse): Promise<unknown> | unknown;
};

/** A request handler for `product`: false for a path outside its prefix, so servers can mount several. */
export function serveAliyunProduct(product: AliyunProduct): (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean> {
  const gateway = aliyunGateway(product);
  return async (req, res, url) => {
    if (url.pathname !== product.prefix.slice(0, -1) && !url.pathname.startsWith(product.prefix)) return false;
    const requestId = randomUUID().toUpperCase();
    try {
      const body = await readBody(req, product.maxBodyBytes);
      if (url.pathname.startsWith(`${product.prefix}_control/`)) {
        await product.control(req, res, url, body);
        return true;
      }
      if (req.method !== 'POST' && req.method !== 'GET') throw new AliyunApiError(405, 'UnsupportedHTTPMethod', 'Specified signature method is not supported.');
      const action = gateway.authenticate(req, url, body);
      const answer = await product.call(action, rpcParams(req, url, body), requestId, res);
      if (!res.destroyed) sendJson(res, 200, answer);
    } catch (error) {
      if (error instanceof AliyunApiError) {
        sendJson(res, error.status, error.status === 200 ? { Code: error.code, Message: error.message, RequestId: requestId } : { RequestId: requestId, HostId: product.hostId, Code: error.code, Message: error.message });
      } else sendJson(res, 500, { RequestId: requestId, HostId: product.hostId, Code: 'InternalError', Message: (error as Error).message });
    }
    return true;
  };
}

export const unknownAction = () => new AliyunApiError(404, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.');

type StandIn = { handle: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>; close: () => Promise<void> };

/** A stand-in alone on its own port (0: any free one), for tests: with its endpoint, and a close that frees the port. */
export async function listenStandalone<S extends StandIn>(standIn: S, prefix: string, port = 0): Promise<S & { port: number; endpoint: string }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    void standIn.handle(req, res, url).then((handled) => {
      if (!handled) sendJson(res, 404, { Code: 'NotFound', Message: url.pathname });
    });
  });
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
  // A test process ends when its tests do, even with a stand-in still listening.
  server.unref();
  const bound = (server.address() as { port: number }).port;
  return {
    ...standIn,
    port: bound,
    endpoint: `http://127.0.0.1:${bound}${prefix}`,
    async close() {
      await standIn.close();
      const stopped = new Promise<void>((done) => server.close(() => done()));
      server.closeAllConnections();
      await stopped;
    },
  };
}
