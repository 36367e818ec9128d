import { validateSignature } from '@line/bot-sdk';
import * as z from 'zod/mini';
import type { AgencyRepository } from '#adapters/dynamo/agency-repository';
import type { AssessmentRepository } from '#adapters/dynamo/assessment-repository';
import type { LineRepository } from '#adapters/dynamo/line-repository';
import type { NotificationRepository } from '#adapters/dynamo/notification-repository';
import { type AuditEntry, auditEntry } from '#domain/audit';
import { NotFoundError, UnauthorizedError, ValidationError } from '#domain/errors';
import {
  channelOfDelivery,
  codeInMessage,
  hashLinkCode,
  LINE_REPLIES,
  LINK_CODE_TTL_HOURS,
  type LineMessenger,
  type LineSettings,
  newLinkCode,
  projectMonth,
} from '#domain/line';
import { PROVINCE_SUBJECT } from '#domain/notifications';
import { authorize } from '#domain/policy';
import { type Principal, systemPrincipal } from '#domain/principal';
import { todayIn } from '#domain/thai-date';

const SECRETARIAT_NAME = 'ฝ่ายเลขานุการคณะกรรมการขับเคลื่อนการประเมิน ITA';

export type LineNames = {
  /** The agency's Thai name (or the secretariat's for `province`), null when no such owner exists. */
  ownerName: (assessmentId: string, owner: string) => Promise<string | null>;
  unitName: (assessmentId: string) => Promise<string | null>;
};

/** Names from the table: the agency's summary, the assessment's unit (one GetItem / Query each). */
export const lineNames = (deps: {
  agencies: Pick<AgencyRepository, 'getSummary'>;
  assessments: Pick<AssessmentRepository, 'getWithPlan'>;
}): LineNames => ({
  ownerName: async (assessmentId, owner) => {
    if (owner === PROVINCE_SUBJECT)
      return (await deps.assessments.getWithPlan(assessmentId)) ? SECRETARIAT_NAME : null;
    return (await deps.agencies.getSummary(assessmentId, owner))?.agency.nameTh ?? null;
  },
  unitName: async (assessmentId) =>
    (await deps.assessments.getWithPlan(assessmentId))?.assessment.unitName ?? null,
});

// ---------------------------------------------------------------- link codes

export type LinkCodeDeps = { line: Pick<LineRepository, 'createCode'>; names: LineNames; now: () => Date };

/**
 * A link code for an agency's group (or the secretariat's: owner `province`, admin only): 8
 * characters, 24 hours, single use, stored only as its hash, audited. The code is shown once.
 */
export const requestLinkCode = async (
  deps: LinkCodeDeps,
  principal: Principal,
  assessmentId: string,
  owner: string,
) => {
  authorize(principal, 'line.link', { assessmentId, agencyId: owner });
  if (!(await deps.names.ownerName(assessmentId, owner)))
    throw new NotFoundError(`agency ${owner} not found in ${assessmentId}`);
  const now = deps.now();
  const expiresAt = new Date(now.getTime() + LINK_CODE_TTL_HOURS * 3600_000).toISOString();
  for (;;) {
    const code = newLinkCode();
    const created = await deps.line.createCode(
      hashLinkCode(code),
      { assessmentId, owner, expiresAtIso: expiresAt },
      auditEntry(
        principal,
        {
          assessmentId,
          ...(owner !== PROVINCE_SUBJECT ? { agencyId: owner } : {}),
          action: 'line.link-code',
          target: `line-group/${owner}`,
          changes: { expiresAt },
        },
        now.toISOString(),
      ),
    );
    if (created) return { code, expiresAt };
  }
};

// ---------------------------------------------------------------- the webhook

/** The parts of LINE's webhook body we act on; everything else is accepted and ignored. */
const WebhookEvent = z.looseObject({
  type: z.string(),
  webhookEventId: z.string().check(z.minLength(1)),
  replyToken: z.optional(z.string()),
  source: z.optional(z.looseObject({ type: z.string(), groupId: z.optional(z.string()) })),
  message: z.optional(z.looseObject({ type: z.string(), text: z.optional(z.string()) })),
});
const WebhookBody = z.looseObject({ events: z.array(WebhookEvent).check(z.maxLength(100)) });
type WebhookEvent = z.infer<typeof WebhookEvent>;

export type WebhookDeps = {
  line: Pick<
    LineRepository,
    'findCode' | 'findGroup' | 'getState' | 'redeemCode' | 'unlinkGroup' | 'claimEvent' | 'releaseEvent'
  >;
  names: LineNames;
  channelSecret: () => Promise<string>;
  messenger: () => Promise<LineMessenger>;
  now: () => Date;
  log?: (entry: Record<string, unknown>) => void;
};

export type WebhookOutcome = { eventId: string; type: string; result: string };

const webhookPrincipal = { ...systemPrincipal, tokenId: 'line-webhook' };

const lineAudit = (
  assessmentId: string,
  owner: string,
  action: string,
  changes: Record<string, unknown>,
  at: string,
): AuditEntry =>
  auditEntry(
    webhookPrincipal,
    {
      assessmentId,
      ...(owner !== PROVINCE_SUBJECT ? { agencyId: owner } : {}),
      action,
      target: `line-group/${owner}`,
      changes,
    },
    at,
  );

/** A reply that fails (the token expired, LINE down) is logged; the link itself stands. */
const reply = async (deps: WebhookDeps, event: WebhookEvent, text: string) => {
  if (!event.replyToken) return;
  try {
    await (await deps.messenger()).reply(event.replyToken, text);
  } catch (error) {
    deps.log?.({
      level: 'WARN',
      message: 'line reply failed',
      error: error instanceof Error ? error.message : String(error),
    });
  }
};

const linkWithCode = async (
  deps: WebhookDeps,
  event: WebhookEvent,
  groupId: string,
  code: string,
): Promise<string> => {
  const hash = hashLinkCode(code);
  const stored = await deps.line.findCode(hash);
  const now = deps.now();
  if (!stored) {
    await reply(deps, event, LINE_REPLIES.unknown);
    return 'unknown-code';
  }
  if (stored.usedAt) {
    await reply(deps, event, LINE_REPLIES.used);
    return 'used-code';
  }
  if (stored.expiresAtIso <= now.toISOString()) {
    await reply(deps, event, LINE_REPLIES.expired);
    return 'expired-code';
  }
  const { assessmentId, owner } = stored;
  const [state, previousOwner, ownerName, unitName] = await Promise.all([
    deps.line.getState(assessmentId),
    deps.line.findGroup(groupId),
    deps.names.ownerName(assessmentId, owner),
    deps.names.unitName(assessmentId),
  ]);
  const previousGroupId = state.links.find((l) => l.owner === owner)?.groupId ?? null;
  const at = now.toISOString();
  const audits = [lineAudit(assessmentId, owner, 'line.link', { groupId, previousGroupId }, at)];
  if (previousOwner && (previousOwner.assessmentId !== assessmentId || previousOwner.owner !== owner))
    audits.push(
      lineAudit(
        previousOwner.assessmentId,
        previousOwner.owner,
        'line.unlink',
        { groupId, reason: `group linked to ${owner} instead` },
        at,
      ),
    );
  const outcome = await deps.line.redeemCode(
    hash,
    { assessmentId, owner, groupId, now, previousGroupId, previousOwner },
    audits,
  );
  if (outcome !== 'linked') {
    await reply(deps, event, outcome === 'used' ? LINE_REPLIES.used : LINE_REPLIES.expired);
    return `${outcome}-code`;
  }
  const name = ownerName ?? owner;
  await reply(
    deps,
    event,
    previousGroupId && previousGroupId !== groupId
      ? LINE_REPLIES.relinked(name)
      : LINE_REPLIES.linked(name, unitName ?? assessmentId),
  );
  return previousGroupId && previousGroupId !== groupId ? 'relinked' : 'linked';
};

const handleEvent = async (deps: WebhookDeps, event: WebhookEvent): Promise<string> => {
  const groupId = event.source?.type === 'group' ? event.source.groupId : undefined;
  if (!groupId) return 'ignored: not a group';
  switch (event.type) {
    case 'join':
      await reply(deps, event, LINE_REPLIES.joinHelp);
      return 'join-help';
    case 'leave': {
      const link = await deps.line.findGroup(groupId);
      if (!link) return 'leave: group was not linked';
      const at = deps.now().toISOString();
      await deps.line.unlinkGroup(
        { ...link, groupId },
        lineAudit(
          link.assessmentId,
          link.owner,
          'line.unlink',
          { groupId, reason: 'the bot was removed from the group' },
          at,
        ),
      );
      return 'unlinked';
    }
    case 'message': {
      const code =
        event.message?.type === 'text' && event.message.text ? codeInMessage(event.message.text) : null;
      if (!code) return 'ignored: no code';
      return linkWithCode(deps, event, groupId, code);
    }
    default:
      return `ignored: ${event.type}`;
  }
};

/**
 * `POST /line/webhook`: LINE's calls. First the signature (base64 HMAC-SHA256 of the raw body with
 * the channel secret, the SDK's `validateSignature`): missing or wrong is a 401 and nothing else
 * happens. Then each group event once (`webhookEventId`, a redelivery does nothing): `join`
 * answers how to link; a message with a code links the group (or says why not); `leave` unlinks.
 */
export const handleWebhook = async (
  deps: WebhookDeps,
  rawBody: Buffer,
  signature: string | undefined,
): Promise<WebhookOutcome[]> => {
  if (!signature) throw new UnauthorizedError('x-line-signature is required');
  if (!validateSignature(rawBody, await deps.channelSecret(), signature))
    throw new UnauthorizedError('x-line-signature does not match the body');
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new ValidationError('the webhook body is not JSON');
  }
  const parsed = WebhookBody.safeParse(json);
  if (!parsed.success) throw new ValidationError('the webhook body has no events list');
  const outcomes: WebhookOutcome[] = [];
  for (const event of parsed.data.events) {
    if (!(await deps.line.claimEvent(event.webhookEventId, deps.now()))) {
      outcomes.push({ eventId: event.webhookEventId, type: event.type, result: 'duplicate' });
      continue;
    }
    try {
      outcomes.push({
        eventId: event.webhookEventId,
        type: event.type,
        result: await handleEvent(deps, event),
      });
    } catch (error) {
      // Freed, so LINE's redelivery of a failed event is handled instead of skipped.
      await deps.line.releaseEvent(event.webhookEventId);
      throw error;
    }
  }
  return outcomes;
};

// ---------------------------------------------------------------- overview and settings

export type LineOverviewDeps = {
  line: Pick<LineRepository, 'getState'>;
  notifications: Pick<NotificationRepository, 'listSince'>;
  names: LineNames;
  messenger: () => Promise<LineMessenger>;
  now: () => Date;
  timeZone: string;
};

/**
 * `GET /assessments/{id}/line` (admin): the linked groups with their member counts where LINE
 * tells them, the pushes recorded this month (one Query on the notification partition from the
 * month's first day), LINE's quota and what it has counted, and the month projected at this pace.
 */
export const lineOverview = async (deps: LineOverviewDeps, principal: Principal, assessmentId: string) => {
  authorize(principal, 'line.manage', { assessmentId });
  const today = todayIn(deps.timeZone, deps.now());
  const monthStart = `${today.slice(0, 8)}01`;
  const [state, records] = await Promise.all([
    deps.line.getState(assessmentId),
    deps.notifications.listSince(assessmentId, monthStart),
  ]);
  const pushes = records.filter((r) => r.channel === 'line' || channelOfDelivery(r.id) === 'line');
  const messenger = await deps.messenger().catch(() => null);
  const quota = messenger
    ? await messenger
        .quota()
        .catch((error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }))
    : { error: 'LINE is not configured' };
  const groups = await Promise.all(
    state.links.map(async (l) => ({
      owner: l.owner,
      name: (await deps.names.ownerName(assessmentId, l.owner)) ?? l.owner,
      groupId: l.groupId,
      linkedAt: l.linkedAt,
      members: messenger ? await messenger.memberCount(l.groupId) : null,
      channels: state.settings.channels[l.owner] ?? 'both',
    })),
  );
  const used = 'used' in quota ? quota.used : null;
  return {
    settings: state.settings,
    groups,
    month: today.slice(0, 7),
    pushes: {
      sent: pushes.filter((r) => r.status === 'sent').length,
      failed: pushes.filter((r) => r.status === 'failed').length,
      total: pushes.length,
    },
    quota:
      'error' in quota
        ? { limit: null, used: null, projected: null, error: quota.error }
        : {
            limit: quota.limit,
            used: quota.used,
            projected: used === null ? null : projectMonth(used, today).projected,
          },
  };
};

export const putLineSettings = async (
  deps: { line: Pick<LineRepository, 'putSettings'>; now: () => Date },
  principal: Principal,
  assessmentId: string,
  settings: LineSettings,
) => {
  authorize(principal, 'line.manage', { assessmentId });
  const now = deps.now();
  await deps.line.putSettings(
    assessmentId,
    settings,
    now,
    auditEntry(
      principal,
      { assessmentId, action: 'line.settings', target: 'line-settings', changes: settings },
      now.toISOString(),
    ),
  );
  return settings;
};
