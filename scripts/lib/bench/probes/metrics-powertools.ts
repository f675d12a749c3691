/** Probe: the same metric with Powertools Metrics (addMetric, then flushed as EMF). */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

const metrics = new Metrics({ namespace: 'HydraLoginConsent', serviceName: 'bench' });

export function run(): Promise<void> {
  metrics.addDimension('Stage', process.env.STAGE ?? 'bench');
  metrics.addMetric('SignInSucceeded', MetricUnit.Count, 1);
  metrics.publishStoredMetrics();
  return Promise.resolve();
}
