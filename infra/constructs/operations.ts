import { Duration } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Subscription, SubscriptionProtocol, Topic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, PACE_CHECK_RUNS } from '#runtime/metrics';
import { acknowledge } from '../nag.ts';

/** A CloudWatch alarm that combines metrics by metric math may name at most this many. */
export const METRIC_MATH_ALARM_LIMIT = 10;
/** The operator's budget: every alarm of the system, counted (US$0.10 a standard alarm-month). */
export const ALARM_BUDGET = 12;

export type OperationsProps = {
  prefix: string;
  alarmEmail?: string;
  api: IHttpApi;
  /**
   * Functions invoked by the bus, the scheduler or the table stream: nobody sees a 5xx, so their
   * own metrics are alarmed. The HTTP functions and the authorizer are covered by the API's 5xx
   * rate: a failure or throttle behind the HTTP API is a 5xx answer.
   */
  eventFunctions: readonly IFunction[];
  outboxRelay: IFunction;
  deadLetterQueues: readonly { id: string; queue: IQueue; what: string }[];
};

const FIVE_MINUTES = Duration.minutes(5);

/**
 * What an operator on call watches: one alarm topic, at most {@link ALARM_BUDGET} alarms, one
 * dashboard. Each alarm covers a class of failure across every resource it can happen on (metric
 * math over a list of metrics), rather than one alarm per resource; the README's runbook has one
 * line per alarm id. The dashboard stays within CloudWatch's free three dashboards of up to 50
 * metrics: HTTP functions appear through the API's 5xx, not one by one.
 */
export class Operations extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    this.topic = new Topic(this, 'AlarmTopic', { topicName: `${props.prefix}-alarms`, enforceSSL: true });
    acknowledge(this.topic, {
      id: 'AwsSolutions-SNS2',
      reason:
        'alarm notifications carry no personal data; CloudWatch cannot publish to a topic under the AWS-managed SNS key, and a customer key costs US$1/month for nothing to protect.',
    });
    if (props.alarmEmail) {
      const subscription = new Subscription(this, 'AlarmEmail', {
        topic: this.topic,
        protocol: SubscriptionProtocol.EMAIL,
        endpoint: props.alarmEmail,
      });
      acknowledge(subscription, {
        id: 'Serverless-SNSRedrivePolicy',
        reason:
          'an alarm email that cannot be delivered leaves the alarm in ALARM state in CloudWatch, where it is seen; queueing the email adds nothing.',
      });
    }
    if (props.eventFunctions.length > METRIC_MATH_ALARM_LIMIT)
      throw new Error(
        `${props.eventFunctions.length} event functions exceed the ${METRIC_MATH_ALARM_LIMIT} metrics one metric-math alarm may name`,
      );

    const eventErrors = sumOf('eventErrors', 'event function errors', props.eventFunctions, (fn) =>
      fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }),
    );
    const eventThrottles = sumOf('eventThrottles', 'event function throttles', props.eventFunctions, (fn) =>
      fn.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }),
    );
    const apiRequests = apiMetric(props.api, 'Count', 'Sum');
    const api5xx = apiMetric(props.api, '5xx', 'Sum');
    const api5xxRate = new MathExpression({
      expression: 'IF(requests >= 10, 100 * FILL(errors, 0) / requests, 0)',
      usingMetrics: { requests: apiRequests, errors: api5xx },
      period: FIVE_MINUTES,
      label: 'API 5xx, % of requests (periods of at least 10 requests)',
    });
    const dlqDepth = new MathExpression({
      expression: `MAX([${props.deadLetterQueues.map((_, i) => `q${i}`).join(', ')}])`,
      usingMetrics: Object.fromEntries(
        props.deadLetterQueues.map(({ queue }, i) => [
          `q${i}`,
          queue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum' }),
        ]),
      ),
      period: FIVE_MINUTES,
      label: 'messages in the fullest dead-letter queue',
    });
    const relayIteratorAge = props.outboxRelay.metric('IteratorAge', {
      period: FIVE_MINUTES,
      statistic: 'Maximum',
    });
    const paceCheckRuns = new Metric({
      namespace: METRICS_NAMESPACE,
      metricName: PACE_CHECK_RUNS.name,
      dimensionsMap: { service: PACE_CHECK_RUNS.service },
      statistic: 'Sum',
      period: Duration.days(1),
    });
    // A day's datapoint is stamped at 00:00 UTC, 07:00 in Bangkok: the check (scheduled in the
    // Bangkok morning) lands in the same UTC day. DAY() is 1 (Monday) to 7 (Sunday).
    const weekdayWithoutPaceCheck = new MathExpression({
      expression: 'IF(DAY(runs) <= 5 AND runs < 1, 1, 0)',
      usingMetrics: {
        runs: new MathExpression({ expression: 'FILL(m, 0)', usingMetrics: { m: paceCheckRuns } }),
      },
      period: Duration.days(1),
      label: 'weekday without a pace check (1)',
    });
    const sesRate = (metricName: string) =>
      new Metric({ namespace: 'AWS/SES', metricName, statistic: 'Maximum', period: Duration.hours(1) });

    const action = new SnsAction(this.topic);
    const alarm = (
      alarmId: string,
      metric: IMetric,
      threshold: number,
      description: string,
      options: { comparison?: ComparisonOperator; missing?: TreatMissingData } = {},
    ) => {
      const created = new Alarm(this, alarmId, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: options.comparison ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: options.missing ?? TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      created.addAlarmAction(action);
      this.alarms.push(created);
    };

    alarm(
      'EventFunctionErrors',
      eventErrors,
      1,
      'an event function (bus, scheduler or stream consumer) failed',
    );
    alarm('EventFunctionThrottles', eventThrottles, 1, 'an event function was throttled');
    alarm(
      'Api5xxRate',
      api5xxRate,
      5,
      'the API answered 5xx to 5% or more of its requests in 5 minutes (a failing or throttled HTTP function or authorizer)',
    );
    alarm(
      'DeadLetters',
      dlqDepth,
      1,
      `a dead-letter queue holds messages: ${props.deadLetterQueues.map((q) => `${q.id} (${q.what})`).join('; ')}`,
    );
    alarm(
      'OutboxRelayIteratorAge',
      relayIteratorAge,
      Duration.minutes(5).toMilliseconds(),
      'outbox-relay: events wait more than 5 minutes in the outbox before reaching the bus',
      { comparison: ComparisonOperator.GREATER_THAN_THRESHOLD },
    );
    // SES reviews an account at a 5% bounce rate and 0.1% complaint rate; alarm before that.
    alarm(
      'SesBounceRate',
      sesRate('Reputation.BounceRate'),
      0.04,
      'SES bounce rate at or above 4% (SES reviews the account at 5%)',
    );
    alarm(
      'SesComplaintRate',
      sesRate('Reputation.ComplaintRate'),
      0.0008,
      'SES complaint rate at or above 0.08% (SES reviews the account at 0.1%)',
    );
    alarm(
      'PaceCheckMissed',
      weekdayWithoutPaceCheck,
      1,
      'no pace check ran on a weekday: behind reminders and escalations did not go out',
    );
    if (this.alarms.length > ALARM_BUDGET)
      throw new Error(`${this.alarms.length} alarms exceed the budget of ${ALARM_BUDGET}`);

    const sesCount = (metricName: string, label: string) =>
      new Metric({ namespace: 'AWS/SES', metricName, statistic: 'Sum', period: Duration.hours(1), label });
    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `${props.prefix}-campaign`,
      defaultInterval: Duration.days(7),
    });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown: `# ITA campaign (${props.prefix})\nAlarms and what to do: README, *Operations*. Emails are SES account metrics; the pace check counts one run per assessment per weekday.`,
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({ title: 'API requests and 5xx', left: [apiRequests], right: [api5xx], width: 8 }),
      new GraphWidget({ title: 'API 5xx rate (%)', left: [api5xxRate], width: 8 }),
      new GraphWidget({
        title: 'Function errors and throttles',
        left: [eventErrors, eventThrottles],
        width: 8,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Emails sent, delivered, bounced',
        left: [sesCount('Send', 'sent'), sesCount('Delivery', 'delivered'), sesCount('Bounce', 'bounced')],
        width: 8,
      }),
      new GraphWidget({ title: 'Pace checks a day', left: [paceCheckRuns], width: 8 }),
      new GraphWidget({
        title: 'Dead letters and outbox lag',
        left: [dlqDepth],
        right: [relayIteratorAge],
        width: 8,
      }),
    );
  }
}

/** One time series: the sum of `metricOf(fn)` over `functions` (FILL keeps a quiet function from blanking the sum). */
const sumOf = (
  id: string,
  label: string,
  functions: readonly IFunction[],
  metricOf: (fn: IFunction) => IMetric,
) =>
  new MathExpression({
    expression: functions.length === 0 ? '0' : functions.map((_, i) => `FILL(${id}${i}, 0)`).join(' + '),
    usingMetrics: Object.fromEntries(functions.map((fn, i) => [`${id}${i}`, metricOf(fn)])),
    period: FIVE_MINUTES,
    label,
  });

const apiMetric = (api: IHttpApi, metricName: string, statistic: string) =>
  new Metric({
    namespace: 'AWS/ApiGateway',
    metricName,
    dimensionsMap: { ApiId: api.apiId },
    statistic,
    period: FIVE_MINUTES,
  });
