import type {
  APIGatewayProxyEventV2WithLambdaAuthorizer,
  APIGatewayProxyStructuredResultV2,
} from 'aws-lambda';

/**
 * What the Lambda authorizer puts in the request context (simple responses: every value a
 * string). The local server fills it by running the same authorizer code.
 *
 * A bad token is let through with `authError` set rather than refused: HTTP API answers 403 to
 * `isAuthorized: false`, and the API promises 401 for a malformed, unknown, expired or revoked
 * token. `principalFrom` turns `authError` into that 401 before any handler logic runs.
 */
export type AuthorizerContext = {
  tokenId: string;
  role: string;
  assessmentId: string;
  agencyId: string;
  /** The issuing token's id (the token's `createdBy`); empty for a refused token. */
  issuedBy: string;
  /** Empty for a valid token; otherwise why it was refused (see `AuthFailure`), and the rest empty. */
  authError: string;
};

export type HttpEvent = APIGatewayProxyEventV2WithLambdaAuthorizer<AuthorizerContext>;
export type HttpResult = APIGatewayProxyStructuredResultV2 & { statusCode: number; body: string };
