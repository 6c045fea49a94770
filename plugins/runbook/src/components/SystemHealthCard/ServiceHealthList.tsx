import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { HealthStatusChip } from '../health';
import { HealthReasons } from '../health/HealthReasons';
import type { ServiceHealthLine } from './systemHealth';

/** Each service's status, linked to its page, with the reasons it is not healthy. */
export const ServiceHealthList = (props: { services: ServiceHealthLine[] }) => (
  <Box
    component="ul"
    pl={0}
    m={0}
    style={{ listStyle: 'none' }}
    aria-label="Services"
  >
    {props.services.map(service => (
      <Box
        component="li"
        key={service.entityRef}
        mb={1}
        aria-label={service.title}
      >
        <Box
          display="flex"
          alignItems="baseline"
          justifyContent="space-between"
        >
          <Typography variant="subtitle2" component="span">
            <EntityRefLink entityRef={service.entityRef}>
              {service.title}
            </EntityRefLink>
          </Typography>
          <HealthStatusChip status={service.status} />
        </Box>
        {/* Only the messages here: checklists and declaring belong to the service page. */}
        <HealthReasons
          entityRef={service.entityRef}
          reasons={service.reasons}
        />
      </Box>
    ))}
  </Box>
);
