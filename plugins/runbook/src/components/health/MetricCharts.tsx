import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import type { ServiceMetrics } from '@nexus-cos/plugin-runbook-common';
import { BUSINESS_CHARTS, GOLDEN_SIGNAL_CHARTS } from './metricCharts';
import { hasChartData, MetricChart } from './MetricChart';

/**
 * The golden signals, then business metrics where the service has them. Without metrics it
 * says why, in the backend's words (e.g. "metrics: Prometheus not configured").
 */
export const MetricCharts = (props: { metrics: ServiceMetrics }) => {
  const { metrics } = props;
  if (metrics.unavailable) {
    return <Typography variant="body2">{metrics.unavailable}</Typography>;
  }
  const charts = [
    ...GOLDEN_SIGNAL_CHARTS,
    ...BUSINESS_CHARTS.filter(spec => hasChartData(spec, metrics)),
  ];
  return (
    <Grid container spacing={2}>
      {charts.map(spec => (
        <Grid item xs={12} md={6} lg={4} key={spec.title}>
          <MetricChart spec={spec} metrics={metrics} />
        </Grid>
      ))}
    </Grid>
  );
};
