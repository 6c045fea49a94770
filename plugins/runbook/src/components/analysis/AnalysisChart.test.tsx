import { renderInTestApp } from '@backstage/frontend-test-utils';
import type { AnalysisReport } from '@nexus-cos/plugin-runbook-common';
import { screen } from '@testing-library/react';
import { AnalysisChart } from './AnalysisChart';

const report: AnalysisReport = {
  kind: 'analysis',
  verdict: 'fail',
  subject: 'new pods of payments (payments-7d4f9c-.+)',
  limits: { errorRatio: 0.05, latencyP95Seconds: 0.5 },
  failureLimit: 2,
  samples: [
    {
      at: '2026-12-01T10:00:01Z',
      errorRatio: 0.01,
      latencyP95Seconds: 0.12,
      requestsPerSecond: 4,
      ok: true,
    },
    {
      at: '2026-12-01T10:00:02Z',
      errorRatio: 0.31,
      latencyP95Seconds: 0.13,
      requestsPerSecond: 4,
      ok: false,
      why: 'error ratio 31.0% above 5.0%',
    },
    {
      at: '2026-12-01T10:00:03Z',
      errorRatio: 0.29,
      latencyP95Seconds: 0.12,
      requestsPerSecond: 4,
      ok: false,
      why: 'error ratio 29.0% above 5.0%',
    },
  ],
  reason: 'error ratio 29.0% above 5.0% in 2 samples in a row',
};

describe('AnalysisChart', () => {
  it('shows the verdict, why, and each signal against its limit', async () => {
    await renderInTestApp(<AnalysisChart report={report} />);
    expect(screen.getByText('Metric analysis failed')).toBeInTheDocument();
    expect(
      screen.getByText(
        'new pods of payments (payments-7d4f9c-.+): 3 samples, 2 over the limits; 2 in a row abort the change.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('error ratio 29.0% above 5.0% in 2 samples in a row'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('figure', { name: 'Error ratio' }),
    ).toHaveTextContent('Error ratio (limit 5.0%)');
    expect(
      screen.getByRole('figure', { name: 'p95 latency' }),
    ).toHaveTextContent('p95 latency (limit 500 ms)');
  });
});
