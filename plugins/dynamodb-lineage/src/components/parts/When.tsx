import { formatAge, formatWhen } from './time';

/**
 * A moment in plain words ("5 h ago (11:28 UTC)"), the raw timestamp on
 * hover and in `dateTime` for machines.
 */
export function When(props: {
  iso?: string;
  prefix?: string;
  ageOnly?: boolean;
}) {
  const { iso, prefix, ageOnly } = props;
  if (!iso) return null;
  return (
    <time dateTime={iso} title={iso}>
      {prefix}
      {ageOnly ? formatAge(iso) : formatWhen(iso)}
    </time>
  );
}
