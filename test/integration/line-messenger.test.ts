import { messagingApi } from '@line/bot-sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLineMessenger } from '#adapters/line-messenger';
import { LineError, retryKeyOf } from '#domain/line';
import { type LineStub, startLineStub } from '#local/line-stub';

const TOKEN = 'stub-token';
let stub: LineStub;
const messenger = (options: { timeoutMs?: number } = {}) =>
  createLineMessenger({
    client: new messagingApi.MessagingApiClient({ channelAccessToken: TOKEN, baseURL: stub.url }),
    sleep: async () => undefined,
    ...options,
  });

beforeAll(async () => {
  stub = await startLineStub({ port: 0, accessToken: TOKEN, quota: 300 });
});
afterAll(async () => {
  await stub?.stop();
});
let group: string;
beforeEach(() => {
  group = `C${Math.random().toString(16).slice(2)}`;
});

describe('the LINE adapter through the SDK against the local stub', () => {
  it('pushes a Thai text with its retry key, and the stub records it', async () => {
    // Prepare
    const key = retryKeyOf('a', `2024-02-14_${group}_behind_line`);

    // Act
    const { messageId } = await messenger().push(group, 'ส่งหลักฐาน OIT แล้ว 3 จาก 20 ข้อ', key);

    // Assess
    expect(messageId).not.toBe('');
    const recorded = (await (await fetch(`${stub.url}/messages`)).json()) as {
      messages: { to: string; retryKey: string; messages: { text: string }[] }[];
    };
    const mine = recorded.messages.filter((m) => m.to === group);
    expect(mine).toEqual([
      expect.objectContaining({
        to: group,
        retryKey: key,
        messages: [{ type: 'text', text: 'ส่งหลักฐาน OIT แล้ว 3 จาก 20 ข้อ' }],
      }),
    ]);
  });

  it('the same retry key twice is one message (LINE answers 409, counted as sent)', async () => {
    // Prepare
    const key = retryKeyOf('a', `${group}-twice`);

    // Act
    await messenger().push(group, 'หนึ่ง', key);
    const second = await messenger().push(group, 'หนึ่ง', key);

    // Assess
    expect(second.messageId).not.toBe('');
    expect(stub.pushes().filter((p) => p.to === group)).toHaveLength(1);
  });

  it('retries 5xx with the same key and delivers once', async () => {
    // Prepare
    stub.failNext(503, 2);

    // Act
    await messenger().push(group, 'ลองใหม่', retryKeyOf('a', `${group}-5xx`));

    // Assess
    expect(stub.pushes().filter((p) => p.to === group)).toHaveLength(1);
  });

  it('gives up on 5xx after its attempts as a transient failure', async () => {
    // Prepare
    stub.failNext(500, 3);

    // Act
    const failure = await messenger()
      .push(group, 'x', retryKeyOf('a', `${group}-500`))
      .catch((e: unknown) => e);

    // Assess
    expect(failure).toBeInstanceOf(LineError);
    expect(failure).toMatchObject({ failure: 'transient', status: 500, retryable: true });
    expect(stub.pushes().filter((p) => p.to === group)).toHaveLength(0);
  });

  it('a push that times out is tried again under the same key', async () => {
    // Prepare
    stub.delayNext(400);

    // Act
    await messenger({ timeoutMs: 100 }).push(group, 'ช้า', retryKeyOf('a', `${group}-slow`));
    await new Promise((r) => setTimeout(r, 400));

    // Assess: the slow first attempt landed, the retry was the same key: one message
    expect(stub.pushes().filter((p) => p.to === group)).toHaveLength(1);
  });

  it('429 is the quota: failed with the reason, not retried', async () => {
    // Prepare
    stub.failNext(429, 1);

    // Act
    const failure = await messenger()
      .push(group, 'x', retryKeyOf('a', `${group}-429`))
      .catch((e: unknown) => e);

    // Assess
    expect(failure).toMatchObject({ failure: 'quota', status: 429, retryable: false });
    expect((failure as Error).message).toContain('monthly limit');
    expect(stub.pushes().filter((p) => p.to === group)).toHaveLength(0);
  });

  it('a group the bot left is unlinked (404), and its member count unknown', async () => {
    // Prepare
    stub.leaveGroup(group);

    // Act
    const failure = await messenger()
      .push(group, 'x', retryKeyOf('a', `${group}-left`))
      .catch((e: unknown) => e);

    // Assess
    expect(failure).toMatchObject({ failure: 'unlinked', status: 404 });
    expect(await messenger().memberCount(group)).toBeNull();
  });

  it('reads the quota and its consumption (a push counts per member)', async () => {
    // Prepare
    stub.setMembers(group, 12);
    const before = await messenger().quota();

    // Act
    await messenger().push(group, 'นับ', retryKeyOf('a', `${group}-count`));
    const after = await messenger().quota();

    // Assess
    expect(after.limit).toBe(300);
    expect(after.used - before.used).toBe(12);
    expect(await messenger().memberCount(group)).toBe(12);
  });

  it('a wrong access token is refused by the stub, as LINE does', async () => {
    // Prepare
    const wrong = createLineMessenger({
      client: new messagingApi.MessagingApiClient({ channelAccessToken: 'nope', baseURL: stub.url }),
      sleep: async () => undefined,
    });

    // Act
    const failure = await wrong.push(group, 'x', retryKeyOf('a', group)).catch((e: unknown) => e);

    // Assess
    expect(failure).toMatchObject({ failure: 'rejected', status: 401 });
  });

  it('shows what each group received on a Thai page, escaped', async () => {
    // Prepare
    await messenger().push(group, '<script>x</script> ล่าช้า', retryKeyOf('a', `${group}-html`));

    // Act
    const html = await (await fetch(`${stub.url}/`)).text();

    // Assess
    expect(html).toContain('lang="th"');
    expect(html).toContain('&lt;script&gt;x&lt;/script&gt; ล่าช้า');
    expect(html).not.toContain('<script>x');
  });
});
