import { Link } from '@backstage/core-components';
import { useRunPageLink } from '../../hooks/useRunPageLink';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A run id that links to the run's page where the app has one. UUIDs show their first
 * eight characters, as short commit hashes do; the whole id is the link's title.
 */
export const RunLink = (props: {
  runId: string;
  children?: React.ReactNode;
}) => {
  const link = useRunPageLink();
  const { runId } = props;
  const label =
    props.children ?? (UUID.test(runId) ? runId.slice(0, 8) : runId);
  return link ? (
    <Link to={link(runId)} title={runId}>
      {label}
    </Link>
  ) : (
    <span title={runId}>{label}</span>
  );
};
