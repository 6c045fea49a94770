import { useCallback, useState } from 'react';
import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import type {
  RunbookActionName,
  RunRequest,
  StartRunResult,
} from '@nexus-cos/plugin-runbook-common';
import { runbookApiRef } from '../../api';
import { useLoader } from '../../hooks/useLoader';
import { LoadedCard } from '../OverviewPage/LoadedCard';
import { actionFormOf } from '../RunbookContent/actionForm';
import { ActionFormPanel } from '../RunbookContent/ActionFormPanel';
import { ConfirmRunDialog } from '../RunbookContent/ConfirmRunDialog';
import { ReplayNotice } from '../RunbookContent/ReplayNotice';
import { useIdempotencyKeys } from '../RunbookContent/useIdempotencyKeys';
import { RunProgress } from '../RunProgress';
import { AccessPanel } from './AccessPanel';
import { CertificatesTable } from './CertificatesTable';
import { ConfigFindingsTable } from './ConfigFindingsTable';
import { VulnerabilitiesPanel } from './VulnerabilitiesPanel';

type Request = RunRequest & { reason?: string };

/**
 * The Security tab of a service: certificates (with renew), who can do what in its
 * namespace (with the review mark), vulnerability scans, configuration findings, and
 * secret rotation. The security actions go through the same dry run, confirmation and
 * progress as the Runbook tab, with forms read from their definitions: the rotation's
 * value is masked and never shown again.
 */
export const SecurityContent = () => {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(runbookApiRef);
  const runbook = useLoader(() => api.getRunbook(entityRef), [api, entityRef]);
  const certificates = useLoader(
    () => api.getCertificates(entityRef),
    [api, entityRef],
  );
  const access = useLoader(() => api.getAccess(entityRef), [api, entityRef]);
  const vulnerabilities = useLoader(
    () => api.getVulnerabilities(entityRef),
    [api, entityRef],
  );
  const findings = useLoader(
    () => api.getSecurityFindings(entityRef),
    [api, entityRef],
  );
  const keys = useIdempotencyKeys();
  const [pending, setPending] = useState<{ request: Request; key: string }>();
  const [started, setStarted] = useState<StartRunResult>();
  const reloadCertificates = certificates.reload;
  const reloadAccess = access.reload;
  const reloadRunbook = runbook.reload;
  const onFinished = useCallback(() => {
    reloadCertificates();
    reloadAccess();
    reloadRunbook();
  }, [reloadCertificates, reloadAccess, reloadRunbook]);

  const resolution = runbook.value;
  const availability = (action: RunbookActionName) =>
    resolution?.actions.find(a => a.action === action);
  const review = (request: Request) =>
    setPending({ request, key: keys.keyFor(entityRef, request) });
  const form = (action: RunbookActionName) => {
    const offered = availability(action);
    if (!resolution) return null;
    if (!offered) {
      return (
        <Typography variant="body2" color="textSecondary">
          {actionFormOf(action).title} is not offered by this service's runbook.
        </Typography>
      );
    }
    return (
      <ActionFormPanel
        availability={offered}
        form={actionFormOf(action)}
        limits={resolution.limits}
        onReview={review}
      />
    );
  };

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <LoadedCard title="Certificates" state={certificates} height={160}>
          {value => (
            <CertificatesTable
              items={value.items}
              renew={availability('renew-certificate')}
              onRenew={certificate =>
                review({
                  action: 'renew-certificate',
                  input: { certificate },
                })
              }
            />
          )}
        </LoadedCard>
      </Grid>
      <Grid item xs={12} md={7}>
        <LoadedCard title="Access" state={access} height={240}>
          {report => (
            <>
              <AccessPanel report={report} />
              <Box mt={2}>{form('review-access')}</Box>
            </>
          )}
        </LoadedCard>
      </Grid>
      <Grid item xs={12} md={5}>
        <InfoCard title="Secret rotation">
          {form('rotate-secret')}
          <Box mt={2}>
            {started?.replayed && <ReplayNotice run={started.run} />}
            {started ? (
              <RunProgress
                key={started.run.id}
                runId={started.run.id}
                onFinished={onFinished}
              />
            ) : (
              <Typography variant="body2" color="textSecondary">
                No security run started here yet.
              </Typography>
            )}
          </Box>
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <LoadedCard
          title="Vulnerabilities"
          state={vulnerabilities}
          height={200}
        >
          {value => <VulnerabilitiesPanel images={value.images} />}
        </LoadedCard>
      </Grid>
      <Grid item xs={12}>
        <LoadedCard
          title="Configuration findings"
          state={findings}
          height={200}
        >
          {value => <ConfigFindingsTable items={value.items} />}
        </LoadedCard>
      </Grid>
      {pending && resolution && (
        <ConfirmRunDialog
          runbook={resolution}
          form={actionFormOf(pending.request.action)}
          request={pending.request}
          idempotencyKey={pending.key}
          onClose={() => setPending(undefined)}
          onStarted={result => {
            keys.settle(entityRef, pending.request);
            setPending(undefined);
            setStarted(result);
          }}
        />
      )}
    </Grid>
  );
};
