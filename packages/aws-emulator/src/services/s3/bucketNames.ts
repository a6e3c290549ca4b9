/**
 * S3 general-purpose bucket naming rules: 3–63 chars of [a-z0-9.-], start and
 * end with a letter or digit, no `..`, not an IP address, reserved prefixes
 * and suffixes refused. Returns the broken rule, or undefined when valid.
 */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) {
    return 'must be between 3 and 63 characters long';
  }
  if (!/^[a-z0-9.-]+$/.test(name)) {
    return 'may contain only lowercase letters, digits, dots and hyphens';
  }
  if (!/^[a-z0-9].*[a-z0-9]$/.test(name)) {
    return 'must begin and end with a letter or digit';
  }
  if (name.includes('..')) return 'must not contain two adjacent periods';
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) {
    return 'must not be formatted as an IP address';
  }
  for (const prefix of ['xn--', 'sthree-', 'amzn-s3-demo-']) {
    if (name.startsWith(prefix)) return `must not start with ${prefix}`;
  }
  for (const suffix of [
    '-s3alias',
    '--ol-s3',
    '.mrap',
    '--x-s3',
    '--table-s3',
  ]) {
    if (name.endsWith(suffix)) return `must not end with ${suffix}`;
  }
  return undefined;
}
