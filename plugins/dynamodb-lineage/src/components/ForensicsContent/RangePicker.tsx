import FormControl from '@material-ui/core/FormControl';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import TextField from '@material-ui/core/TextField';
import Box from '@material-ui/core/Box';

const HOUR = 3_600_000;

export const RANGE_PRESETS = [
  { value: '1h', label: 'Last hour', ms: HOUR },
  { value: '24h', label: 'Last 24 hours', ms: 24 * HOUR },
  { value: '7d', label: 'Last 7 days', ms: 7 * 24 * HOUR },
  { value: '30d', label: 'Last 30 days', ms: 30 * 24 * HOUR },
] as const;

export type RangeChoice =
  | { preset: (typeof RANGE_PRESETS)[number]['value'] }
  | { preset: 'custom'; from: string; to: string };

/** `YYYY-MM-DDTHH:mm` in UTC, the value of a datetime-local field read as UTC. */
function toField(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16);
}

/**
 * The range a choice stands for, in ISO-8601 UTC, at `now`; undefined when a
 * custom range is incomplete.
 */
export function resolveRange(
  choice: RangeChoice,
  now: number,
): { from: string; to: string } | undefined {
  if (choice.preset === 'custom') {
    if (!choice.from || !choice.to) return undefined;
    return {
      from: new Date(`${choice.from}:00Z`).toISOString(),
      to: new Date(`${choice.to}:00Z`).toISOString(),
    };
  }
  const preset = RANGE_PRESETS.find(p => p.value === choice.preset)!;
  return {
    from: new Date(now - preset.ms).toISOString(),
    to: new Date(now).toISOString(),
  };
}

/** The time range of a query: a preset ending now, or a custom one in UTC. */
export function RangePicker(props: {
  id: string;
  value: RangeChoice;
  onChange: (value: RangeChoice) => void;
}) {
  const { id, value, onChange } = props;
  return (
    <Box display="flex" flexWrap="wrap" alignItems="flex-end">
      <FormControl style={{ minWidth: 180, marginRight: 16 }}>
        <InputLabel id={`${id}-range-label`}>Time range</InputLabel>
        <Select
          labelId={`${id}-range-label`}
          value={value.preset}
          onChange={event => {
            const preset = event.target.value as RangeChoice['preset'];
            if (preset === 'custom') {
              const now = Date.now();
              onChange({
                preset,
                from: toField(now - 24 * HOUR),
                to: toField(now),
              });
            } else {
              onChange({ preset });
            }
          }}
        >
          {RANGE_PRESETS.map(p => (
            <MenuItem key={p.value} value={p.value}>
              {p.label}
            </MenuItem>
          ))}
          <MenuItem value="custom">Custom (UTC)</MenuItem>
        </Select>
      </FormControl>
      {value.preset === 'custom' && (
        <>
          <TextField
            id={`${id}-from`}
            label="From (UTC)"
            type="datetime-local"
            value={value.from}
            onChange={e => onChange({ ...value, from: e.target.value })}
            InputLabelProps={{ shrink: true }}
            style={{ marginRight: 16 }}
          />
          <TextField
            id={`${id}-to`}
            label="To (UTC)"
            type="datetime-local"
            value={value.to}
            onChange={e => onChange({ ...value, to: e.target.value })}
            InputLabelProps={{ shrink: true }}
          />
        </>
      )}
    </Box>
  );
}
