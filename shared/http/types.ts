import type {
  APIGatewayProxyEventV2WithLambdaAuthorizer,
  APIGatewayProxyStructuredResultV2,
} from 'aws-lambda';

/**
 * What the Lambda authorizer puts in the request context (simple responses: every value a
 * string). The local server fills it by running the same authorizer code.
 */
export type AuthorizerContext = {
  tokenId: string;
  role: string;
  assessmentId: string;
  agencyId: string;
};

export type HttpEvent = APIGatewayProxyEventV2WithLambdaAuthorizer<AuthorizerContext>;
export type HttpResult = APIGatewayProxyStructuredResultV2 & { statusCode: number; body: string };
