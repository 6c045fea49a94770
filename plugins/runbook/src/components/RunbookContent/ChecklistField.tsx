import Checkbox from '@material-ui/core/Checkbox';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormGroup from '@material-ui/core/FormGroup';
import FormHelperText from '@material-ui/core/FormHelperText';
import FormLabel from '@material-ui/core/FormLabel';

const labelOf = (option: string) =>
  option.charAt(0).toLocaleUpperCase('en-US') +
  option.slice(1).replace(/-/g, ' ');

/** Tick boxes, one per option, as a labelled group; its value is the ticked options. */
export const ChecklistField = (props: {
  label: string;
  options: readonly string[];
  value: string[];
  onChange: (value: string[]) => void;
  disabled: boolean;
  error?: string;
}) => {
  const { label, options, value, onChange, disabled, error } = props;
  return (
    <FormControl component="fieldset" margin="dense" error={Boolean(error)}>
      <FormLabel component="legend">{label}</FormLabel>
      <FormGroup>
        {options.map(option => (
          <FormControlLabel
            key={option}
            label={labelOf(option)}
            disabled={disabled}
            control={
              <Checkbox
                checked={value.includes(option)}
                onChange={e =>
                  onChange(
                    e.target.checked
                      ? options.filter(o => o === option || value.includes(o))
                      : value.filter(o => o !== option),
                  )
                }
              />
            }
          />
        ))}
      </FormGroup>
      {error && <FormHelperText>{error}</FormHelperText>}
    </FormControl>
  );
};
