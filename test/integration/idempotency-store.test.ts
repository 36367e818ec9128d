import { IdempotencyConfig, IdempotencyItemAlreadyExistsError } from '@aws-lambda-powertools/idempotency';
import type { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createIdempotencyPersistence } from '#adapters/dynamo/idempotency-store';
import { freshTable, idempotencyRecords } from '#test/table';

/**
 * The persistence layer `withIdempotency` gives Powertools, on DynamoDB Local: where its records
 * live in the single table and how a claim meets the record already there. Powertools reads the
 * clock itself, so the tests move `Date` (only `Date`: the SDK's timers run as usual).
 */

let table: Awaited<ReturnType<typeof freshTable>>;

const NOW = Date.UTC(2024, 0, 15, 3, 0, 0);
const DAY_SECONDS = 24 * 60 * 60;
const config = () =>
  new IdempotencyConfig({
    eventKeyJmesPath: 'key',
    payloadValidationJmesPath: 'body',
    expiresAfterSeconds: DAY_SECONDS,
    hashFunction: 'sha256',
  });

const layer = (fn: string): DynamoDBPersistenceLayer => {
  const persistence = createIdempotencyPersistence(table, fn);
  persistence.configure({ config: config(), keyPrefix: fn });
  return persistence;
};

let keyCount = 0;
/** A request no other test uses, so each test starts from an absent record. */
const newRequest = (body = 'body-1') => ({ key: `key-${++keyCount}`, body });

const at = (ms: number) => vi.setSystemTime(ms);

/** The holder a refused claim reports, or 'claimed'. */
const claim = async (
  persistence: DynamoDBPersistenceLayer,
  request: Record<string, string>,
  remainingMs = 30_000,
) => {
  try {
    await persistence.saveInProgress(request, remainingMs);
    return 'claimed' as const;
  } catch (error) {
    if (!(error instanceof IdempotencyItemAlreadyExistsError)) throw error;
    return error.existingRecord;
  }
};

beforeAll(async () => {
  table = await freshTable('idem-store');
});

afterEach(() => {
  vi.useRealTimers();
});

describe('idempotency persistence on the single table', () => {
  it('claims a free key with one put, writing the record under the function partition with its TTL', async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['Date'] });
    at(NOW);
    const persistence = layer('store-claim');

    // Act
    table.calls.length = 0;
    const outcome = await claim(persistence, newRequest());

    // Assess
    expect(outcome).toBe('claimed');
    expect(table.calls).toEqual(['PutItemCommand']);
    const [record] = await idempotencyRecords(table, 'store-claim');
    expect(record).toEqual({
      PK: 'IDEMPOTENCY#store-claim',
      SK: expect.stringMatching(/^store-claim#[A-Za-z0-9+/]{43}=$/),
      status: 'INPROGRESS',
      bodyHash: expect.any(String),
      inProgressUntil: NOW + 30_000,
      expiresAt: NOW / 1000 + DAY_SECONDS,
    });
  });

  it('refuses a claim on a fresh in-progress record and returns the holder from the same put', async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['Date'] });
    at(NOW);
    const persistence = layer('store-refuse');
    const request = newRequest();
    await claim(persistence, request);
    at(NOW + 1_000);

    // Act
    table.calls.length = 0;
    const holder = await claim(persistence, { ...request, body: 'body-2' });

    // Assess
    expect(holder).toMatchObject({ status: 'INPROGRESS' });
    expect(table.calls).toEqual(['PutItemCommand']);
  });

  it('returns a completed record with its stored response', async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['Date'] });
    at(NOW);
    const persistence = layer('store-complete');
    const request = newRequest();
    const response = JSON.stringify({ statusCode: 201, headers: { etag: '"3"' }, body: '{"ok":true}' });
    await claim(persistence, request);
    await persistence.saveSuccess(request, response);
    at(NOW + 60_000);

    // Act
    const holder = await claim(persistence, request);

    // Assess
    expect(holder).toMatchObject({ status: 'COMPLETED', responseData: response });
  });

  it('takes over an in-progress record whose request ran past its time (a Lambda that died mid-way)', async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['Date'] });
    at(NOW);
    const persistence = layer('store-takeover');
    const request = newRequest();
    await claim(persistence, request);
    at(NOW + 30_001);

    // Act
    const outcome = await claim(persistence, request);

    // Assess
    expect(outcome).toBe('claimed');
    expect((await idempotencyRecords(table, 'store-takeover'))[0]?.inProgressUntil).toBe(
      NOW + 30_001 + 30_000,
    );
  });

  it('treats a completed record past its TTL time as absent, though TTL has not deleted it yet', async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['Date'] });
    at(NOW);
    const persistence = layer('store-expired');
    const request = newRequest();
    await claim(persistence, request);
    await persistence.saveSuccess(request, '{}');
    at(NOW + (DAY_SECONDS + 1) * 1000);

    // Act
    const outcome = await claim(persistence, request);

    // Assess
    expect(outcome).toBe('claimed');
    expect((await idempotencyRecords(table, 'store-expired'))[0]).toMatchObject({ status: 'INPROGRESS' });
  });

  it('keeps a completed record within its TTL time', async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['Date'] });
    at(NOW);
    const persistence = layer('store-kept');
    const request = newRequest();
    await claim(persistence, request);
    await persistence.saveSuccess(request, '{}');
    at(NOW + (DAY_SECONDS - 1) * 1000);

    // Act
    const holder = await claim(persistence, request);

    // Assess
    expect(holder).toMatchObject({ status: 'COMPLETED' });
  });

  it('deletes a released record, so the key can be claimed again at once', async () => {
    // Prepare
    const persistence = layer('store-release');
    const request = newRequest();
    await claim(persistence, request);

    // Act
    await persistence.deleteRecord(request);
    const again = await claim(persistence, request);

    // Assess
    expect(again).toBe('claimed');
    expect(await idempotencyRecords(table, 'store-release')).toHaveLength(1);
  });

  it('keeps one function’s records apart from another’s under the same key', async () => {
    // Prepare
    const request = newRequest();
    await claim(layer('store-one'), request);

    // Act
    const outcome = await claim(layer('store-other'), request);

    // Assess
    expect(outcome).toBe('claimed');
  });
});
