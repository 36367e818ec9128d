import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export type DocumentClientOptions = { region: string; endpoint?: string | undefined };

/**
 * One document client per process. Locally the endpoint points at DynamoDB Local, which accepts
 * any credentials; fixed dummy ones keep the SDK from looking for a real profile.
 */
export const createDocumentClient = ({ region, endpoint }: DocumentClientOptions): DynamoDBDocumentClient => {
  const client = new DynamoDBClient(
    endpoint
      ? { region, endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : { region },
  );
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
};
