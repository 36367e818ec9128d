import * as agencyTable from '#adapters/dynamo/agency-repository';
import * as assessmentTable from '#adapters/dynamo/assessment-repository';
import * as lineTable from '#adapters/dynamo/line-repository';
import { PayloadTooLargeError } from '#domain/errors';
import { httpHandler } from '#http/handler';
import { MAX_BODY_BYTES, requestHeader } from '#http/request';
import { json } from '#http/response';
import type { HttpEvent } from '#http/types';
import { clockNow } from '#runtime/clock';
import { lineCredentials, lineMessenger } from '#runtime/line';
import { logEntry, logger } from '#runtime/logger';
import { tableDeps } from '#runtime/table';
import { handleWebhook, lineNames } from '#use-cases/line';

const table = tableDeps({
  line: {
    findCode: lineTable.findCode,
    findGroup: lineTable.findGroup,
    getState: lineTable.getState,
    redeemCode: lineTable.redeemCode,
    unlinkGroup: lineTable.unlinkGroup,
    claimEvent: lineTable.claimEvent,
    releaseEvent: lineTable.releaseEvent,
  },
  agencies: { getSummary: agencyTable.getSummary },
  assessments: { getWithPlan: assessmentTable.getWithPlan },
});

/**
 * POST /line/webhook (public: LINE cannot send a bearer token). The signature is checked on the
 * RAW body, byte for byte as it arrived (API Gateway passes JSON as text, anything else base64),
 * before anything is parsed; a missing or wrong one is a 401.
 */
export const lineWebhook = async (event: HttpEvent) => {
  const raw = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
  if (raw.byteLength > MAX_BODY_BYTES) throw new PayloadTooLargeError(MAX_BODY_BYTES);
  const deps = table();
  const outcomes = await handleWebhook(
    {
      line: deps.line,
      names: lineNames(deps),
      channelSecret: async () => (await lineCredentials()).channelSecret,
      messenger: lineMessenger,
      now: clockNow,
      log: logEntry,
    },
    raw,
    requestHeader(event, 'x-line-signature'),
  );
  logger.info('line webhook', { outcomes });
  return json(200, {});
};

export const handler = httpHandler(lineWebhook);
