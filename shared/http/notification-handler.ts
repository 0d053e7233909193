// The small middy stack of the providers' notify routes, beside api-handler.ts: a wallet provider signs the exact
// bytes it sends (WeChat Pay a JSON body, Alipay a form post, which API Gateway hands over base64-encoded), so
// these routes take the raw body as it came, without the JSON parsing and 415 of the JSON routes, and answer in
// the provider's own format (the adapter's acknowledge). Only public routes may use it: providers carry no JWT.
// Unexpected failures still become a problem+json 500 with a correlation id, which makes the provider retry.

import middy from '@middy/core';
import type { APIGatewayProxyEventV2 as ApiEvent, APIGatewayProxyStructuredResultV2 as ApiResponse } from 'aws-lambda';
import { DomainError } from '../domain/errors.ts';
import { findRoute, isPublic, type RouteKey } from '../routes.ts';
import type { NotificationAck } from '../ports/wallet-provider.ts';
import { problemDetails } from './api-handler.ts';

/** Providers' notifications are a few KB; anything far larger is not one. */
export const MAX_NOTIFICATION_BYTES = 64 * 1024;

export type NotificationRequest = { headers: Record<string, string | undefined>; rawBody: string; correlationId: string };

export function notificationHandler(route: RouteKey, handle: (request: NotificationRequest) => Promise<NotificationAck>) {
  if (!isPublic(findRoute(route))) throw new Error(`${route} must be public in the route table: providers carry no token`);
  return middy<ApiEvent, ApiResponse>()
    .use(problemDetails(route))
    .handler(async (event, context) => {
      const body = event.body ?? '';
      const raw = event.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
      if (raw.byteLength > MAX_NOTIFICATION_BYTES) {
        throw new DomainError(413, 'payload_too_large', 'Payload too large', `A notification is limited to ${MAX_NOTIFICATION_BYTES} bytes.`);
      }
      const ack = await handle({
        headers: (event.headers ?? {}) as Record<string, string | undefined>,
        rawBody: raw.toString('utf8'),
        correlationId: event.requestContext?.requestId ?? context.awsRequestId,
      });
      return { statusCode: ack.status, headers: ack.headers, body: ack.body };
    });
}
