import { Link } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntityRefLink } from '@backstage/plugin-catalog-react';
import { runbookApiRef } from '../../api';
import { useLoader } from '../../hooks/useLoader';

/**
 * The incident an emergency change answers, by severity and title, linked to the
 * service's Incidents tab with that incident open. Until it is read (or if it cannot be),
 * the link shows the incident's id.
 */
export const IncidentLink = (props: {
  incidentId: string;
  entityRef: string;
}) => {
  const { incidentId, entityRef } = props;
  const api = useApi(runbookApiRef);
  const entityLink = useEntityRefLink();
  const incident = useLoader(
    () => api.getIncident(incidentId),
    [api, incidentId],
  );
  const label = incident.value
    ? `${incident.value.severity} ${incident.value.title}`
    : `incident ${incidentId.slice(0, 8)}`;
  return (
    <Link
      to={`${entityLink(entityRef)}/incidents?incident=${encodeURIComponent(
        incidentId,
      )}`}
      title={incidentId}
    >
      {label}
    </Link>
  );
};
