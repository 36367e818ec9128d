import { describe, expect, it } from 'vitest';
import { bundleSource, runBundle } from './bundle.ts';

/** What a function's table adapter imports from the DocumentClient, and a use of it run offline. */
const DOCUMENT_CLIENT_ENTRY = `
  import { Readable } from 'node:stream';
  import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
  import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
  const requestHandler = {
    handle: async (request) => {
      process.stdout.write(request.body);
      const body = JSON.stringify({ Item: { PK: { S: 'A#x' }, n: { N: '7' } } });
      return { response: { statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: Readable.from([body]) } };
    },
  };
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({ region: 'ap-southeast-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, requestHandler }),
  );
  const got = await client.send(new GetCommand({ TableName: 't', Key: { PK: 'A#x', SK: 'META' } }));
  process.stdout.write('|' + JSON.stringify(got.Item));
`;

describe('sideEffectFreePlugin in the Lambda bundle options', () => {
  it('drops the DocumentClient paginators and ScanCommand that nothing calls', async () => {
    // Act
    const [withPlugin, without] = await Promise.all([
      bundleSource(DOCUMENT_CLIENT_ENTRY),
      bundleSource(DOCUMENT_CLIENT_ENTRY, { plugins: false }),
    ]);

    // Assess
    expect(without).toContain('"ExclusiveStartKey","LastEvaluatedKey"');
    expect(withPlugin).not.toContain('"ExclusiveStartKey","LastEvaluatedKey"');
    expect(withPlugin.length).toBeLessThan(without.length - 1000);
  });

  it('leaves the DocumentClient marshalling keys and unmarshalling items as before', async () => {
    // Act
    const [withPlugin, without] = await Promise.all([
      bundleSource(DOCUMENT_CLIENT_ENTRY).then((code) => runBundle(code)),
      bundleSource(DOCUMENT_CLIENT_ENTRY, { plugins: false }).then((code) => runBundle(code)),
    ]);

    // Assess
    expect(withPlugin).toBe(
      '{"TableName":"t","Key":{"PK":{"S":"A#x"},"SK":{"S":"META"}}}|{"PK":"A#x","n":7}',
    );
    expect(withPlugin).toBe(without);
  });
});
