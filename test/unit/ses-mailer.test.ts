import {
  MessageRejected,
  SESv2Client,
  SendEmailCommand,
  TooManyRequestsException,
} from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createSesMailer, SES_MAX_ATTEMPTS, sesClientConfig } from '#adapters/ses-mailer';
import { MailError, type OutgoingMail } from '#domain/mail';

const mail: OutgoingMail = {
  to: ['coordinator@a1.example.org'],
  cc: ['head@a1.example.org'],
  subject: 'แจ้งเตือน OIT',
  html: '<p>ส่งหลักฐาน OIT</p>',
  text: 'ส่งหลักฐาน OIT',
} as OutgoingMail;

const ses = mockClient(SESv2Client);
afterEach(() => ses.reset());

const mailer = (configurationSet?: string) =>
  createSesMailer({
    client: new SESv2Client(sesClientConfig({ region: 'ap-southeast-1' })),
    from: 'ita-noreply@example.org',
    configurationSet,
  });

describe('SES mailer', () => {
  it('sends one SendEmail in UTF-8 with the copy and the configuration set, and returns its message id', async () => {
    // Prepare
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });

    // Act
    const sent = await mailer('ita-events').send(mail);

    // Assess
    expect(sent).toEqual({ messageId: 'm-1' });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
    expect(ses.commandCalls(SendEmailCommand)[0]?.args[0].input).toMatchObject({
      FromEmailAddress: 'ita-noreply@example.org',
      Destination: { ToAddresses: ['coordinator@a1.example.org'], CcAddresses: ['head@a1.example.org'] },
      Content: { Simple: { Subject: { Data: 'แจ้งเตือน OIT', Charset: 'UTF-8' } } },
      ConfigurationSetName: 'ita-events',
    });
  });

  it('turns throttling that outlasted the SDK retries into a retryable MailError that counts the attempts', async () => {
    // Prepare
    ses.on(SendEmailCommand).rejects(
      new TooManyRequestsException({
        message: 'Maximum sending rate exceeded.',
        $metadata: { httpStatusCode: 429, attempts: 5 },
      }),
    );

    // Act
    const failure = await mailer()
      .send(mail)
      .catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(MailError);
    expect(failure).toMatchObject({ retryable: true });
    expect((failure as MailError).message).toBe(
      'TooManyRequestsException: Maximum sending rate exceeded. (attempt 5)',
    );
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
  });

  it('turns a rejected message into a MailError that is not retryable', async () => {
    // Prepare
    ses
      .on(SendEmailCommand)
      .rejects(new MessageRejected({ message: 'Email address is not verified.', $metadata: {} }));

    // Act
    const failure = await mailer()
      .send(mail)
      .catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(MailError);
    expect(failure).toMatchObject({ retryable: false });
  });

  it('configures the SDK standard retry over several attempts, not one', async () => {
    // Prepare
    const client = new SESv2Client(sesClientConfig({ region: 'ap-southeast-1' }));

    // Act
    const strategy = await client.config.retryStrategy();

    // Assess
    expect(SES_MAX_ATTEMPTS).toBeGreaterThan(1);
    expect(await client.config.maxAttempts()).toBe(SES_MAX_ATTEMPTS);
    expect((strategy as { mode?: string }).mode).toBe('standard');
  });

  it('points at a local endpoint with local credentials when given one', async () => {
    // Act
    const config = sesClientConfig({ region: 'ap-southeast-1', endpoint: 'http://127.0.0.1:8005' });

    // Assess
    expect(config).toMatchObject({
      endpoint: 'http://127.0.0.1:8005',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  });
});
