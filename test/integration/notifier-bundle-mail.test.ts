import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '#local/dynamo-local';
import { readInbox, type SesLocal, startSesLocal } from '#local/ses-local';
import { bundleSource, runBundle } from '../infra/bundle.ts';

/**
 * The notifier's mail path, bundled as the Lambda is and run by plain Node: SES v2 requests and
 * responses go through the bundled SDK both ways, against aws-ses-v2-local and a rejecting endpoint.
 */
const ENTRY = `
import { mailRuntime } from '#runtime/mail';
const result = await mailRuntime()
  .mailer.send({
    to: ['coordinator@a1.example.org'],
    cc: ['sec@example.org'],
    subject: 'ทดสอบการส่งอีเมล',
    html: '<p>สวัสดี</p>',
    text: 'สวัสดี',
  })
  .catch((error) => ({ error: error.message, retryable: error.retryable }));
process.stdout.write(JSON.stringify(result));
`;

const envFor = (endpoint: string) => ({
  MAIL_FROM: 'ita-noreply@example.org',
  SES_ENDPOINT: endpoint,
  PUBLIC_BASE_URL: 'http://127.0.0.1:9',
  AWS_REGION: 'ap-southeast-1',
});

let ses: SesLocal;
let bundle: string;

beforeAll(async () => {
  [ses, bundle] = await Promise.all([startSesLocal({ port: await freePort() }), bundleSource(ENTRY)]);
});

afterAll(async () => {
  await ses?.stop();
});

describe('the bundled mail path against aws-ses-v2-local', () => {
  it('sends SendEmail and reads the MessageId of the answer', async () => {
    // Act
    const result = JSON.parse(await runBundle(bundle, envFor(ses.url)));

    // Assess
    const mails = await readInbox(ses.url);
    const mail = mails.find((m) => m.subject === 'ทดสอบการส่งอีเมล');
    expect(result.messageId).toBeTruthy();
    expect(mail).toMatchObject({
      messageId: result.messageId,
      destination: { to: ['coordinator@a1.example.org'], cc: ['sec@example.org'] },
      body: { html: '<p>สวัสดี</p>', text: 'สวัสดี' },
    });
    expect(mail?.from).toContain('ita-noreply@example.org');
  });

  it('maps an SES error answer to its modelled exception', async () => {
    // Prepare: an endpoint that rejects every message the way SES does
    const rejecting: Server = createServer((_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json', 'x-amzn-errortype': 'MessageRejected' });
      res.end(JSON.stringify({ message: 'Email address is not verified.' }));
    });
    const port = await freePort();
    await new Promise<void>((resolve) => rejecting.listen(port, '127.0.0.1', () => resolve()));

    // Act
    const result = JSON.parse(await runBundle(bundle, envFor(`http://127.0.0.1:${port}`)));
    rejecting.close();

    // Assess
    expect(result).toEqual({
      error: 'MessageRejected: Email address is not verified. (attempt 1)',
      retryable: false,
    });
  });
});
