import { execFile, execFileSync } from 'node:child_process';

/** `aws --version` of /usr/bin/aws, or undefined when it does not run. */
export function awsCliVersion(): string | undefined {
  try {
    return execFileSync('/usr/bin/aws', ['--version'], {
      encoding: 'utf8',
    }).trim();
  } catch {
    return undefined;
  }
}

/**
 * Runs the unmodified AWS CLI v2 (Debian's `awscli`, the Python package behind
 * `/usr/bin/aws`) against an emulator. CLI 2.9 has no per-service
 * endpoint setting and `validate-logs` builds its S3 clients without
 * `--endpoint-url`, so every client the CLI makes is pointed at the emulator
 * by wrapping botocore's `create_client`; the CLI's own logic is untouched.
 */
export function runAwsCli(
  endpoint: string,
  args: string[],
  options: { accountId?: string; region?: string } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const shim = [
    'import sys, awscli, botocore.session',
    'create = botocore.session.Session.create_client',
    'def create_here(self, *a, **k):',
    `    k["endpoint_url"] = ${JSON.stringify(endpoint)}`,
    '    return create(self, *a, **k)',
    'botocore.session.Session.create_client = create_here',
    'from awscli.clidriver import main',
    'sys.argv[0] = "aws"',
    'sys.exit(main())',
  ].join('\n');
  return new Promise(resolve => {
    execFile(
      '/usr/bin/python3',
      ['-c', shim, ...args],
      {
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: process.env.HOME ?? '/tmp',
          AWS_ACCESS_KEY_ID: options.accountId ?? '111111111111',
          AWS_SECRET_ACCESS_KEY: 'x',
          AWS_DEFAULT_REGION: options.region ?? 'us-east-1',
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
          AWS_PAGER: '',
        },
        timeout: 120_000,
      },
      (error, stdout, stderr) => {
        let code = 0;
        if (error) {
          const exit = (error as { code?: unknown }).code;
          code = typeof exit === 'number' ? exit : 1;
        }
        resolve({ code, stdout, stderr });
      },
    );
  });
}
