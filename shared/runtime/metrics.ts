import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/**
 * The campaign's own CloudWatch metrics: one namespace, each metric named here once so the code
 * that emits it and the alarm or dashboard that reads it (infra/constructs/operations.ts) cannot
 * drift apart. Powertools Metrics writes them as embedded metric format on stdout, which Lambda's
 * log pipeline turns into metrics; no PutMetricData call, no extra latency.
 */
export const METRICS_NAMESPACE = 'ItaCampaign';

/** One data point per pace check that ran (whatever it found): its absence on a weekday is alarmed. */
export const PACE_CHECK_RUNS = { name: 'PaceCheckRuns', service: 'milestone' } as const;

let milestoneMetrics: Metrics | undefined;

/** Counts one pace check run and flushes it at once: the milestone function does nothing else worth batching. */
export const countPaceCheckRun = () => {
  milestoneMetrics ??= new Metrics({ namespace: METRICS_NAMESPACE, serviceName: PACE_CHECK_RUNS.service });
  milestoneMetrics.addMetric(PACE_CHECK_RUNS.name, MetricUnit.Count, 1);
  milestoneMetrics.publishStoredMetrics();
};
