import { Fragment } from 'react';
import { makeStyles } from '@material-ui/core/styles';
import { parseCheckText } from './checkText';
import { CopyButton } from './CopyButton';
import { Identifier, MONOSPACE } from './Identifier';
import { formatClock } from './time';

const useStyles = makeStyles(theme => ({
  block: {
    display: 'flex',
    alignItems: 'flex-start',
    gap: theme.spacing(0.5),
    margin: theme.spacing(0.75, 0),
    padding: theme.spacing(0.75, 1),
    borderRadius: theme.shape.borderRadius,
    background: theme.palette.type === 'dark' ? '#1e1e1e' : '#f4f5f7',
    border: `1px solid ${theme.palette.divider}`,
  },
  pre: {
    flex: 1,
    margin: 0,
    fontFamily: MONOSPACE,
    fontSize: '0.8rem',
    lineHeight: 1.5,
    // Commands wrap inside their box: the page never scrolls sideways.
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-all',
    minWidth: 0,
  },
  inline: {
    fontFamily: MONOSPACE,
    fontSize: '0.85em',
    padding: '0 3px',
    borderRadius: 3,
    background: theme.palette.type === 'dark' ? '#1e1e1e' : '#f4f5f7',
  },
  details: {
    margin: theme.spacing(0.75, 0),
    '& > summary': {
      cursor: 'pointer',
      color: theme.palette.primary.main,
      width: 'fit-content',
    },
  },
}));

export function CodeBlock(props: { code: string; label: string }) {
  const classes = useStyles();
  return (
    <div className={classes.block}>
      <pre className={classes.pre}>
        <code>{props.code}</code>
      </pre>
      <CopyButton text={props.code} label={`Copy ${props.label}`} />
    </div>
  );
}

/** A JSON document folded away under a line that says what it holds. */
export function JsonDisclosure(props: {
  json: string;
  items?: number;
  /** What the disclosure opens, when it is not a policy's statements. */
  summary?: string;
  /** The language of the folded text, when it is not JSON (e.g. SQL). */
  label?: string;
}) {
  const classes = useStyles();
  return (
    <details className={classes.details}>
      <summary>
        {props.summary ??
          (props.items !== undefined
            ? `Show the ${props.items} policy statement${
                props.items === 1 ? '' : 's'
              } (JSON)`
            : 'Show the JSON')}
      </summary>
      <CodeBlock code={props.json} label={props.label ?? 'JSON'} />
    </details>
  );
}

/**
 * A check's evidence or remediation as a person reads it: commands in
 * copyable blocks, a JSON document folded away, identifiers whole,
 * timestamps as clock times with the raw value on hover.
 */
export function CheckText(props: { text: string }) {
  const classes = useStyles();
  const segments = parseCheckText(props.text);
  let commands = 0;
  return (
    <>
      {segments.map((segment, i) => {
        const previous = segments[i - 1];
        switch (segment.kind) {
          case 'code':
            if (!segment.block) {
              return (
                <code key={i} className={classes.inline}>
                  {segment.text}
                </code>
              );
            }
            commands += 1;
            return (
              <CodeBlock
                key={i}
                code={segment.text}
                label={commands === 1 ? 'command' : `command ${commands}`}
              />
            );
          case 'json':
            return (
              <JsonDisclosure
                key={i}
                json={segment.text}
                items={segment.items}
              />
            );
          case 'arn':
            return <Identifier key={i} value={segment.text} max={56} />;
          case 'time':
            return (
              <time key={i} dateTime={segment.iso} title={segment.iso}>
                {formatClock(segment.iso)}
              </time>
            );
          default: {
            // After a command on its own line, ", or …" reads as "or …".
            const text =
              previous?.kind === 'code' && previous.block
                ? segment.text.replace(/^[\s.,;:]+/, '')
                : segment.text;
            return text ? <Fragment key={i}>{text}</Fragment> : null;
          }
        }
      })}
    </>
  );
}
