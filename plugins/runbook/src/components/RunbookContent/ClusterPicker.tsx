import TextField from '@material-ui/core/TextField';

/**
 * The cluster the Runbook tab acts on, for a service that runs in several: its actions,
 * live state and runs are then those of that cluster. Nothing with one cluster.
 */
export const ClusterPicker = (props: {
  clusters?: string[];
  value: string;
  onChange: (cluster: string) => void;
}) => {
  const { clusters, value, onChange } = props;
  if (!clusters || clusters.length < 2) return null;
  return (
    <TextField
      select
      id="runbook-cluster"
      label="Cluster"
      value={value}
      onChange={e => onChange(e.target.value)}
      SelectProps={{ native: true }}
      helperText={`This service runs in ${clusters.length} clusters; actions act on this one only.`}
      margin="dense"
      variant="outlined"
    >
      {clusters.map(c => (
        <option key={c} value={c}>
          {c}
        </option>
      ))}
    </TextField>
  );
};
