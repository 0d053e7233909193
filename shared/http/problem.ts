// RFC 9457 problem documents with the stable `code` of API.md.

import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { DomainError, type FieldError } from '../domain/errors.ts';

export type Problem = {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  errors?: FieldError[];
  correlationId?: string;
};

export function problemResponse(problem: Problem, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: problem.status,
    headers: { ...headers, 'content-type': 'application/problem+json' },
    body: JSON.stringify(problem),
  };
}

export function problemFromError(error: DomainError, correlationId: string): Problem {
  return {
    type: `https://smart-community.dev/errors/${error.code}`,
    title: error.title,
    status: error.status,
    code: error.code,
    detail: error.message,
    ...(error.errors ? { errors: error.errors } : {}),
    correlationId,
  };
}

export function internalError(correlationId: string): Problem {
  return {
    type: 'https://smart-community.dev/errors/internal',
    title: 'Internal error',
    status: 500,
    code: 'internal',
    detail: `Something went wrong on our side. Quote ${correlationId} if you contact us.`,
    correlationId,
  };
}
