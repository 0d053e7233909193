// The HTTP API, generated from the route table (shared/routes.ts): one Lambda per entry file and one
// route per row, with the Cognito JWT authorizer on every route that names roles. A route added to the
// table appears here on the next deploy; nothing is listed by hand. Which role may call a route is
// checked by the handler (api-handler.ts reads the same table); the authorizer only proves who is calling.

import { CfnOutput, Duration, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CfnRoute,
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { FunctionUrlAuthType, HttpMethod as FunctionUrlMethod } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { isPublic, ROUTES, type Route } from '../../shared/routes.ts';
import { ServiceFunction, type PlatformResources } from '../constructs/service-function.ts';
import { entryName } from '../lambda-entries.ts';

/** Metadata key on each AWS::ApiGatewayV2::Route naming the roles of its route-table row. */
export const ROUTE_ROLES_METADATA = 'SmartCommunity::Roles';

/** Idempotent requests wait up to 25 s for a first request still running (shared/data/idempotency.ts);
 *  API Gateway gives an integration at most 30 s. */
const ROUTE_TIMEOUT = Duration.seconds(29);

/** `webOrigin`: the web app's origin (the Web stack's), where routes send residents back to its pages. */
export type ApiStackProps = StackProps & { userPool: IUserPool; userPoolClient: IUserPoolClient; webOrigin: string };

export class ApiStack extends Stack {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly functions = new Map<string, ServiceFunction>();
  /** The function URL of each route the route table marks `functionUrl`, by path (the hall screens poll `/display`). */
  readonly functionUrls = new Map<string, string>();

  constructor(scope: Construct, id: string, platform: PlatformResources, props: ApiStackProps) {
    super(scope, id, props);
    const { config } = platform;

    this.api = new HttpApi(this, 'Api', {
      apiName: config.prefix,
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: config.corsOrigins,
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PUT, CorsHttpMethod.DELETE, CorsHttpMethod.OPTIONS],
        allowHeaders: ['authorization', 'content-type', 'idempotency-key'],
        maxAge: Duration.days(1),
      },
    });

    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: config.logRetention, removalPolicy: config.removalPolicy });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: config.throttle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        // No query string, path or body: they can hold ID numbers and phone numbers.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            latencyMs: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            userId: '$context.authorizer.claims.sub',
          }),
        ),
      },
    });

    // Cognito ID tokens: they carry cognito:groups, custom:categories and phone_number, which handlers read.
    const authorizer = new HttpUserPoolAuthorizer('Cognito', props.userPool, { userPoolClients: [props.userPoolClient] });

    for (const route of ROUTES as readonly Route[]) {
      const name = entryName(route.entry);
      let fn = this.functions.get(route.entry);
      if (!fn) {
        fn = new ServiceFunction(this, name, {
          entry: route.entry,
          platform,
          timeout: ROUTE_TIMEOUT,
          notifyBaseUrl: config.publicApiUrl ?? this.api.apiEndpoint,
          webUrl: props.webOrigin,
          ...(route.functionUrl ? { polled: true } : {}),
        });
        this.functions.set(route.entry, fn);
      }
      if (route.functionUrl) this.addFunctionUrl(fn, route, config.corsOrigins);
      const key = `${route.method} ${route.path}`;
      const httpRoute = new HttpRoute(this, `Route ${key.replaceAll('/', '|')}`, {
        httpApi: this.api,
        routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
        integration: new HttpLambdaIntegration(`Integration ${key.replaceAll('/', '|')}`, fn),
        ...(isPublic(route) ? {} : { authorizer }),
      });
      const cfnRoute = httpRoute.node.defaultChild as CfnRoute;
      cfnRoute.addMetadata(ROUTE_ROLES_METADATA, [...route.roles]);
      if (isPublic(route)) {
        Validations.of(httpRoute).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${key} is public in the route table (roles: []): the API contract lets anyone call it.`,
        });
      }
    }

    new CfnOutput(this, 'ApiUrl', { value: this.stage.url, description: 'Base URL of the HTTP API' });
  }

  /**
   * A public function URL beside the route: same handler, same payload v2 events, the same path and query,
   * no API Gateway request fee. Only GET, only the API's CORS origins; the stage's throttle does not apply
   * here, so `-c pollConcurrency=N` caps what a flood of polls can run (README, "The hall display").
   */
  private addFunctionUrl(fn: ServiceFunction, route: Route, corsOrigins: string[]) {
    if (!isPublic(route) || route.method !== 'GET') throw new Error(`${route.method} ${route.path}: only public GET routes get a function URL`);
    const url = fn.addFunctionUrl({
      authType: FunctionUrlAuthType.NONE,
      cors: { allowedOrigins: corsOrigins, allowedMethods: [FunctionUrlMethod.GET], maxAge: Duration.days(1) },
    });
    this.functionUrls.set(route.path, url.url);
    new CfnOutput(this, `FunctionUrl${route.path.replaceAll('/', '-')}`, { value: url.url, description: `${route.method} ${route.path} as a Lambda function URL, for clients that poll it` });
  }
}
