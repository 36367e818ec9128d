import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type ClaimRequest,
  createIdempotencyStore,
  type IdempotencyKey,
  type IdempotencyStore,
} from '#adapters/dynamo/idempotency-store';
import { freshTable } from '#test/table';

let table: Awaited<ReturnType<typeof freshTable>>;
let store: IdempotencyStore;

const NOW = Date.UTC(2024, 0, 15, 3, 0, 0);
const DAY_SECONDS = 24 * 60 * 60;

let keyCount = 0;
/** A key no other test uses, so each test starts from an absent record. */
const newKey = (): IdempotencyKey => ({ fn: 'store-test', hash: `hash-${++keyCount}` });

/** A claim at `now` as a request with 30 s left to run would make it. */
const claimAt = (now: number, bodyHash = 'body-1'): ClaimRequest => ({
  bodyHash,
  now,
  inProgressUntil: now + 30_000,
  expiresAt: Math.floor(now / 1000) + DAY_SECONDS,
});

const storedItem = async (key: IdempotencyKey) => {
  const { Item } = await table.client.send(
    new GetCommand({
      TableName: table.tableName,
      Key: { PK: `IDEMPOTENCY#${key.fn}`, SK: key.hash },
      ConsistentRead: true,
    }),
  );
  return Item;
};

beforeAll(async () => {
  table = await freshTable('idem-store');
  store = createIdempotencyStore({ client: table.client, tableName: table.tableName });
});

describe('idempotency store', () => {
  it('claims a free key with one put, writing the record under the function partition with its TTL', async () => {
    // Prepare
    const key = newKey();

    // Act
    table.calls.length = 0;
    const outcome = await store.claim(key, claimAt(NOW));

    // Assess
    expect(outcome).toEqual({ claimed: true });
    expect(table.calls).toEqual(['PutItemCommand']);
    expect(await storedItem(key)).toEqual({
      PK: 'IDEMPOTENCY#store-test',
      SK: key.hash,
      status: 'INPROGRESS',
      bodyHash: 'body-1',
      inProgressUntil: NOW + 30_000,
      expiresAt: Math.floor(NOW / 1000) + DAY_SECONDS,
    });
  });

  it('refuses a claim on a fresh in-progress record and returns the holder from the same put', async () => {
    // Prepare
    const key = newKey();
    await store.claim(key, claimAt(NOW));

    // Act
    table.calls.length = 0;
    const outcome = await store.claim(key, claimAt(NOW + 1_000, 'body-2'));

    // Assess
    expect(outcome).toEqual({ claimed: false, record: { status: 'INPROGRESS', bodyHash: 'body-1' } });
    expect(table.calls).toEqual(['PutItemCommand']);
  });

  it('returns a completed record with its stored response, unmarshalled', async () => {
    // Prepare
    const key = newKey();
    const response = JSON.stringify({ statusCode: 201, headers: { etag: '"3"' }, body: '{"ok":true}' });
    await store.claim(key, claimAt(NOW));
    await store.complete(key, response);

    // Act
    const outcome = await store.claim(key, claimAt(NOW + 60_000));

    // Assess
    expect(outcome).toEqual({
      claimed: false,
      record: { status: 'COMPLETED', bodyHash: 'body-1', response },
    });
  });

  it('takes over an in-progress record whose request ran past its time (a Lambda that died mid-way)', async () => {
    // Prepare
    const key = newKey();
    await store.claim(key, claimAt(NOW));

    // Act
    const outcome = await store.claim(key, claimAt(NOW + 30_001, 'body-2'));

    // Assess
    expect(outcome).toEqual({ claimed: true });
    expect((await storedItem(key))?.bodyHash).toBe('body-2');
  });

  it('treats a completed record past its TTL time as absent, though TTL has not deleted it yet', async () => {
    // Prepare
    const key = newKey();
    await store.claim(key, claimAt(NOW));
    await store.complete(key, JSON.stringify({ statusCode: 200, body: '{}' }));

    // Act
    const outcome = await store.claim(key, claimAt(NOW + (DAY_SECONDS + 1) * 1000, 'body-2'));

    // Assess
    expect(outcome).toEqual({ claimed: true });
    expect(await storedItem(key)).toMatchObject({ status: 'INPROGRESS', bodyHash: 'body-2' });
  });

  it('keeps a completed record within its TTL time, however late its request finished', async () => {
    // Prepare
    const key = newKey();
    await store.claim(key, claimAt(NOW));
    await store.complete(key, JSON.stringify({ statusCode: 200, body: '{}' }));

    // Act
    const outcome = await store.claim(key, claimAt(NOW + (DAY_SECONDS - 1) * 1000));

    // Assess
    expect(outcome).toMatchObject({ claimed: false, record: { status: 'COMPLETED' } });
  });

  it('deletes a released record, so the key can be claimed again at once', async () => {
    // Prepare
    const key = newKey();
    await store.claim(key, claimAt(NOW));

    // Act
    await store.release(key);
    const again = await store.claim(key, claimAt(NOW + 1, 'body-2'));

    // Assess
    expect(again).toEqual({ claimed: true });
    expect((await storedItem(key))?.bodyHash).toBe('body-2');
  });

  it('keeps one function’s records apart from another’s under the same hash', async () => {
    // Prepare
    const key = newKey();
    await store.claim(key, claimAt(NOW));

    // Act
    const outcome = await store.claim({ fn: 'other-fn', hash: key.hash }, claimAt(NOW));

    // Assess
    expect(outcome).toEqual({ claimed: true });
  });
});
