import { Link } from '@backstage/core-components';
import { useRunPageLink } from '../../hooks/useRunPageLink';

/** A run id that links to the run's page where the app has one. */
export const RunLink = (props: {
  runId: string;
  children?: React.ReactNode;
}) => {
  const link = useRunPageLink();
  const label = props.children ?? props.runId;
  return link ? <Link to={link(props.runId)}>{label}</Link> : <>{label}</>;
};
