import { useState } from 'react';
import IconButton from '@material-ui/core/IconButton';
import Tooltip from '@material-ui/core/Tooltip';
import FileCopyOutlined from '@material-ui/icons/FileCopyOutlined';
import useCopyToClipboard from 'react-use/esm/useCopyToClipboard';

/**
 * A small copy button beside an identifier or a command: one tab stop,
 * named for what it copies, "Copied" once done.
 */
export function CopyButton(props: { text: string; label: string }) {
  const { text, label } = props;
  const [, copy] = useCopyToClipboard();
  const [copied, setCopied] = useState(false);
  return (
    <Tooltip
      title={copied ? 'Copied' : label}
      onClose={() => setCopied(false)}
      enterDelay={400}
    >
      <IconButton
        size="small"
        aria-label={label}
        onClick={() => {
          copy(text);
          setCopied(true);
        }}
        style={{ padding: 4, marginLeft: 2 }}
      >
        <FileCopyOutlined style={{ fontSize: '1rem' }} />
      </IconButton>
    </Tooltip>
  );
}
