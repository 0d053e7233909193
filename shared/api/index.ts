// Every endpoint of the HTTP API in one list: the OpenAPI document and the web client are built from it,
// and a test proves it holds exactly one endpoint per route of shared/routes.ts.

import * as appointments from './appointments.ts';
import * as bills from './bills.ts';
import * as cases from './cases.ts';
import * as messages from './messages.ts';
import type { Endpoint } from './endpoint.ts';
import * as jobs from './jobs.ts';
import * as notices from './notices.ts';
import * as payments from './payments.ts';
import * as platform from './platform.ts';
import * as records from './records.ts';
import * as residents from './residents.ts';
import * as stats from './stats.ts';
import * as tasks from './tasks.ts';
import * as uploads from './uploads.ts';
import * as tickets from './tickets.ts';

const isEndpoint = (value: unknown): value is Endpoint =>
  typeof value === 'object' && value !== null && typeof (value as Endpoint).route === 'string' && typeof (value as Endpoint).summary === 'string';

export const ENDPOINTS: Endpoint[] = [platform, residents, cases, tasks, bills, payments, notices, appointments, stats, uploads, tickets, messages, records, jobs].flatMap((area) =>
  Object.values(area).filter(isEndpoint),
);
