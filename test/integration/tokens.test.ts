import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTokenRepository, type TokenRepository } from '#adapters/dynamo/token-repository';
import { hashToken, newTokenSecret } from '#domain/auth';
import { type Principal, systemPrincipal } from '#domain/principal';
import { httpHandler } from '#http/handler';
import type { Route } from '#http/routes';
import type { HttpEvent } from '#http/types';
import { type LocalTokens, writeLocalTokens } from '#local/auth';
import { SEEDED_ASSESSMENT_ID, sampleAgencies, seedPhatthalung } from '#local/seed';
import { tableRuntime } from '#runtime/table';
import { httpEvent } from '#test/events';
import { freshTable } from '#test/table';
import { issueToken, revokeToken } from '#use-cases/tokens';
import { authorizer, authorizerFor } from '../../functions/authorizer.ts';
import { tokens as tokensFunction } from '../../functions/tokens.ts';

const A = SEEDED_ASSESSMENT_ID;
const admin: Principal = { tokenId: 'tok-admin', role: 'admin', assessmentId: A };
const context = {} as Parameters<ReturnType<typeof httpHandler>>[1];
const callTokens = (event: HttpEvent) => httpHandler(tokensFunction)(event, context);

let table: Awaited<ReturnType<typeof freshTable>>;
let repo: TokenRepository;
let deps: Parameters<typeof issueToken>[0];

const authorizerEvent = (
  routeKey: string,
  { headers = {}, query }: { headers?: Record<string, string>; query?: Record<string, string> } = {},
): APIGatewayRequestAuthorizerEventV2 =>
  ({
    version: '2.0',
    type: 'REQUEST',
    routeArn: 'arn:aws:execute-api:local:0:api/$default/GET/x',
    identitySource: [],
    routeKey,
    rawPath: '/x',
    rawQueryString: '',
    cookies: [],
    headers,
    ...(query ? { queryStringParameters: query } : {}),
    requestContext: {},
  }) as unknown as APIGatewayRequestAuthorizerEventV2;

const auditActions = async () => {
  const page = await table.client.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': `AUDIT#${A}` },
    }),
  );
  return (page.Items ?? []).map((i) => String(i.action)).filter((a) => a.startsWith('token.'));
};

beforeAll(async () => {
  table = await freshTable('tokens');
  process.env.TABLE_NAME = table.tableName;
  process.env.DDB_ENDPOINT = table.endpoint;
  await seedPhatthalung(table);
  repo = createTokenRepository({ client: table.client, tableName: table.tableName });
  deps = { ...table, tokens: repo, now: () => new Date() };
});

describe('token repository on DynamoDB Local', () => {
  it('stores lookup item, listing item and audit entry in one transaction, and finds by hash in one GetItem', async () => {
    // Prepare
    const issued = await issueToken(deps, systemPrincipal, {
      channel: 'operator',
      assessmentId: A,
      request: { role: 'viewer', label: 'คณะกรรมการ' },
    });
    table.calls.length = 0;

    // Act
    const found = await repo.findByHash(hashToken(issued.secret));

    // Assess
    expect(table.calls).toEqual(['GetItemCommand']);
    expect(found).toMatchObject({
      id: issued.token.id,
      role: 'viewer',
      label: 'คณะกรรมการ',
      assessmentId: A,
    });
    expect(found?.hash).toBe(hashToken(issued.secret));
    expect(JSON.stringify(found)).not.toContain(issued.secret);
    expect((await repo.list(A)).map((t) => t.id)).toContain(issued.token.id);
    expect(await auditActions()).toContain('token.create');
  });

  it('checks the assessment, then writes the token in one TransactWriteItems, outside the overview', async () => {
    // Prepare
    const before = await table.assessments.getOverview(A);
    table.calls.length = 0;

    // Act
    await issueToken(deps, systemPrincipal, {
      channel: 'operator',
      assessmentId: A,
      request: { role: 'approver', label: 'ผู้ว่าราชการจังหวัด' },
    });

    // Assess
    expect(table.calls).toEqual(['QueryCommand', 'TransactWriteItemsCommand']);
    const after = await table.assessments.getOverview(A);
    expect(after).toEqual(before);
  });

  it('revokes both items once; revoking again changes nothing and audits nothing', async () => {
    // Prepare
    const issued = await issueToken(deps, systemPrincipal, {
      channel: 'operator',
      assessmentId: A,
      request: { role: 'viewer', label: 'x' },
    });
    const revokesBefore = (await auditActions()).filter((a) => a === 'token.revoke').length;

    // Act
    const first = await revokeToken(deps, admin, { assessmentId: A, tokenId: issued.token.id });
    const second = await revokeToken(deps, admin, { assessmentId: A, tokenId: issued.token.id });

    // Assess
    expect(first.status).toBe('revoked');
    expect(second).toEqual(first);
    expect((await repo.findByHash(hashToken(issued.secret)))?.revokedAt).toBe(first.revokedAt);
    expect((await repo.get(A, issued.token.id))?.revokedAt).toBe(first.revokedAt);
    expect((await auditActions()).filter((a) => a === 'token.revoke').length).toBe(revokesBefore + 1);
  });
});

describe('the authorizer handler on DynamoDB Local', () => {
  const routeKey = 'GET /assessments/{id}';
  const feedRouteKey = 'GET /assessments/{id}/calendar.ics';
  const feedAware = authorizerFor([
    { method: 'GET', path: '/assessments/{id}', fn: 'get-assessment', auth: 'token' },
    { method: 'GET', path: '/assessments/{id}/calendar.ics', fn: 'calendar', auth: 'feed' },
  ] satisfies Route[]);

  it('puts a valid bearer token principal into the context', async () => {
    // Prepare
    const agencyId = sampleAgencies()[0]!.id;
    const { secret, token } = await issueToken(deps, systemPrincipal, {
      channel: 'operator',
      assessmentId: A,
      request: { role: 'agency', agencyId, label: 'agency' },
    });

    // Act
    const result = await authorizer(
      authorizerEvent(routeKey, { headers: { authorization: `Bearer ${secret}` } }),
    );

    // Assess
    expect(result).toEqual({
      isAuthorized: true,
      context: {
        tokenId: token.id,
        role: 'agency',
        assessmentId: A,
        agencyId,
        issuedBy: systemPrincipal.tokenId,
        authError: '',
      },
    });
  });

  it('names the reason for every bad token, with an empty principal', async () => {
    // Prepare
    const revoked = await issueToken(deps, systemPrincipal, {
      channel: 'operator',
      assessmentId: A,
      request: { role: 'viewer', label: 'r' },
    });
    await revokeToken(deps, admin, { assessmentId: A, tokenId: revoked.token.id });
    const expired = newTokenSecret();
    await repo.create(
      {
        id: 'tok-00000000000000ee',
        hash: hashToken(expired),
        role: 'viewer',
        assessmentId: A,
        label: 'expired',
        createdAt: '2024-01-01T00:00:00.000Z',
        createdBy: 'system',
        expiresAt: '2024-01-02T00:00:00.000Z',
      },
      {
        id: 'audit-expired',
        at: '2024-01-01T00:00:00.000Z',
        assessmentId: A,
        tokenId: 'system',
        role: 'admin',
        action: 'token.create',
        target: 'token/expired',
        changes: {},
      },
    );
    const headers: Record<string, string>[] = [
      {},
      { authorization: 'Basic dXNlcjpwYXNz' },
      { authorization: 'Bearer not-a-token' },
      { authorization: `Bearer ${newTokenSecret()}` },
      { authorization: `Bearer ${expired}` },
      { Authorization: `bearer ${revoked.secret}` },
    ];

    // Act
    const results = await Promise.all(
      headers.map((h) => authorizer(authorizerEvent(routeKey, { headers: h }))),
    );

    // Assess
    expect(results.map((r) => r.context.authError)).toEqual([
      'malformed',
      'malformed',
      'malformed',
      'unknown',
      'expired',
      'revoked',
    ]);
    expect(results.every((r) => r.isAuthorized && r.context.tokenId === '' && r.context.role === '')).toBe(
      true,
    );
  });

  it('reads a calendar route token from the URL, and refuses API tokens there', async () => {
    // Prepare
    const feed = await issueToken(deps, systemPrincipal, {
      channel: 'operator',
      assessmentId: A,
      request: { role: 'feed', label: 'ปฏิทิน' },
    });
    const api = await issueToken(deps, systemPrincipal, {
      channel: 'operator',
      assessmentId: A,
      request: { role: 'viewer', label: 'v' },
    });

    // Act
    const [inUrl, apiInUrl, inHeader] = await Promise.all([
      feedAware(authorizerEvent(feedRouteKey, { query: { token: feed.secret } })),
      feedAware(authorizerEvent(feedRouteKey, { query: { token: api.secret } })),
      feedAware(authorizerEvent(feedRouteKey, { headers: { authorization: `Bearer ${feed.secret}` } })),
    ]);

    // Assess
    expect(inUrl.context).toMatchObject({ role: 'feed', authError: '' });
    expect(apiInUrl.context).toMatchObject({ role: '', authError: 'not-feed' });
    expect(inHeader.context).toMatchObject({ role: '', authError: 'malformed' });
  });
});

describe('token routes', () => {
  it('shows the secret once on creation and never in the listing', async () => {
    // Act
    const created = await callTokens(
      httpEvent({
        method: 'POST',
        routeKey: 'POST /assessments/{id}/tokens',
        pathParameters: { id: A },
        body: { role: 'viewer', label: 'คณะทำงาน ITA', ttlDays: 30 },
        principal: admin,
      }),
    );
    const listed = await callTokens(
      httpEvent({ routeKey: 'GET /assessments/{id}/tokens', pathParameters: { id: A }, principal: admin }),
    );

    // Assess
    const { secret, token } = JSON.parse(created.body);
    expect(created.statusCode).toBe(201);
    expect(created.headers?.['cache-control']).toBe('no-store');
    expect(secret).toMatch(/^ita_/);
    expect(token).not.toHaveProperty('hash');
    expect(listed.statusCode).toBe(200);
    expect(listed.body).not.toContain(secret);
    expect(listed.body).not.toContain(hashToken(secret));
    expect(listed.body).not.toContain('"hash"');
    expect(JSON.parse(listed.body).tokens.find((t: { id: string }) => t.id === token.id)).toMatchObject({
      role: 'viewer',
      label: 'คณะทำงาน ITA',
      status: 'active',
    });
  });

  it('refuses bad token requests with the right status', async () => {
    // Prepare
    const post = (body: object, principal: Principal = admin) =>
      callTokens(
        httpEvent({
          method: 'POST',
          routeKey: 'POST /assessments/{id}/tokens',
          pathParameters: { id: A },
          body,
          principal,
        }),
      );

    // Act
    const statuses = [
      (await post({ role: 'agency', label: 'no agency' })).statusCode,
      (await post({ role: 'agency', agencyId: 'pt-nowhere', label: 'unknown agency' })).statusCode,
      (await post({ role: 'viewer', label: 'past', expiresAt: '2020-01-01T00:00:00Z' })).statusCode,
      (await post({ role: 'viewer', label: 'extra', scope: 'all' })).statusCode,
      (await post({ role: 'viewer', label: 'by viewer' }, { ...admin, role: 'viewer' })).statusCode,
      (
        await callTokens(
          httpEvent({
            method: 'DELETE',
            routeKey: 'DELETE /assessments/{id}/tokens/{tokenId}',
            pathParameters: { id: A, tokenId: 'tok-0000000000000000' },
            principal: admin,
          }),
        )
      ).statusCode,
    ];

    // Assess
    expect(statuses).toEqual([400, 422, 422, 400, 403, 404]);
  });

  it('never mints an approver token through the API, not even for a token spanning every assessment', async () => {
    // Prepare
    const post = (principal: Principal) =>
      callTokens(
        httpEvent({
          method: 'POST',
          routeKey: 'POST /assessments/{id}/tokens',
          pathParameters: { id: A },
          body: { role: 'approver', label: 'ผู้ว่าราชการจังหวัด (ปลอม)' },
          principal,
        }),
      );
    const approversBefore = (await repo.list(A)).filter((t) => t.role === 'approver').length;

    // Act
    const bound = await post(admin);
    const unbound = await post({ ...admin, assessmentId: '*' });

    // Assess
    expect([bound.statusCode, unbound.statusCode]).toEqual([403, 403]);
    expect(JSON.parse(bound.body).error.message).toContain('operator');
    expect((await repo.list(A)).filter((t) => t.role === 'approver').length).toBe(approversBefore);
  });

  it('records on every audit entry who issued the token that made it', async () => {
    // Prepare: the secretariat's token issues a viewer-admin pair; the authorizer carries the issuer
    const created = await callTokens(
      httpEvent({
        method: 'POST',
        routeKey: 'POST /assessments/{id}/tokens',
        pathParameters: { id: A },
        body: { role: 'admin', label: 'เจ้าหน้าที่ฝ่ายเลขานุการ' },
        principal: admin,
      }),
    );
    const { secret } = JSON.parse(created.body) as { secret: string };
    const verified = await authorizer(
      authorizerEvent('GET /assessments/{id}', { headers: { authorization: `Bearer ${secret}` } }),
    );
    const victim = await issueToken(deps, systemPrincipal, {
      channel: 'operator',
      assessmentId: A,
      request: { role: 'viewer', label: 'to revoke' },
    });

    // Act: the issued token revokes another token
    await callTokens(
      httpEvent({
        method: 'DELETE',
        routeKey: 'DELETE /assessments/{id}/tokens/{tokenId}',
        pathParameters: { id: A, tokenId: victim.token.id },
        principal: {
          tokenId: verified.context.tokenId,
          role: 'admin',
          assessmentId: A,
          issuedBy: verified.context.issuedBy,
        },
      }),
    );

    // Assess
    expect(verified.context.issuedBy).toBe(admin.tokenId);
    const page = await table.client.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': `AUDIT#${A}` },
      }),
    );
    const revocation = (page.Items ?? []).find(
      (i) => i.target === `token/${victim.token.id}` && i.action === 'token.revoke',
    );
    expect(revocation).toMatchObject({ tokenId: verified.context.tokenId, issuedBy: admin.tokenId });
  });

  it('stops a token working as soon as it is revoked through the route', async () => {
    // Prepare
    const { secret, token } = await issueToken(deps, systemPrincipal, {
      channel: 'operator',
      assessmentId: A,
      request: { role: 'viewer', label: 'soon revoked' },
    });
    const bearer = { headers: { authorization: `Bearer ${secret}` } };
    const before = await authorizer(authorizerEvent('GET /assessments/{id}', bearer));

    // Act
    const revoked = await callTokens(
      httpEvent({
        method: 'DELETE',
        routeKey: 'DELETE /assessments/{id}/tokens/{tokenId}',
        pathParameters: { id: A, tokenId: token.id },
        principal: admin,
      }),
    );

    // Assess
    const after = await authorizer(authorizerEvent('GET /assessments/{id}', bearer));
    expect(before.context.authError).toBe('');
    expect(revoked.statusCode).toBe(200);
    expect(JSON.parse(revoked.body).token.status).toBe('revoked');
    expect(after.context.authError).toBe('revoked');
  });
});

describe('local tokens file', () => {
  it('reuses the tokens in tokens.json that still verify and replaces only the invalid ones', async () => {
    // Prepare
    const path = join(mkdtempSync(join(tmpdir(), 'ita-tokens-')), 'tokens.json');
    const first = await writeLocalTokens(tableRuntime(), A, path);
    const viewerId = (await repo.findByHash(hashToken(first.viewer)))!.id;
    await revokeToken(deps, admin, { assessmentId: A, tokenId: viewerId });

    // Act
    const second = await writeLocalTokens(tableRuntime(), A, path);

    // Assess
    const onDisk = JSON.parse(readFileSync(path, 'utf8')) as LocalTokens;
    expect(Object.keys(first.agencies).sort()).toEqual(
      sampleAgencies()
        .map((a) => a.id)
        .sort(),
    );
    expect(second.viewer).not.toBe(first.viewer);
    expect({ ...second, viewer: first.viewer }).toEqual(first);
    expect(onDisk).toEqual(second);
    expect((await repo.findByHash(hashToken(second.admin)))?.assessmentId).toBe('*');
  });
});
