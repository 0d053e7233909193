// Bundled in place of @smithy/core/event-streams (see infra/bundling.ts). The SDK loads that module only for
// an operation that streams events (S3 SelectObjectContent, Lambda InvokeWithResponseStream, Bedrock …); the
// platform's functions call none (DynamoDB, SNS, Step Functions), yet it was ~19 KB of every bundle. An
// operation that needs it fails at once and says why, instead of going wrong quietly.

const unavailable = (): never => {
  throw new Error('Event-stream operations are not bundled into the platform Lambdas: remove the @smithy/core/event-streams alias of infra/bundling.ts to use one.');
};

/** The two names the SDK's HttpProtocol takes from the module. */
export class EventStreamSerde {
  constructor() {
    unavailable();
  }
}

export const eventStreamSerdeProvider = unavailable;
