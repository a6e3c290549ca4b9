import { principalUniqueId } from './ids';

/** A role session issued by AssumeRole. */
export interface RoleSession {
  roleArn: string;
  roleName: string;
  roleId: string;
  sessionName: string;
  issuedAt: number;
  expiresAt: number;
}

/** Who is calling, as CloudTrail's `userIdentity` describes it. */
export interface Identity {
  type: 'Root' | 'IAMUser' | 'AssumedRole';
  accountId: string;
  arn: string;
  principalId: string;
  accessKeyId: string;
  userName?: string;
  session?: RoleSession;
}

export function rootIdentity(accountId: string, accessKeyId: string): Identity {
  return {
    type: 'Root',
    accountId,
    arn: `arn:aws:iam::${accountId}:root`,
    principalId: accountId,
    accessKeyId,
  };
}

export function userIdentity(
  accountId: string,
  userName: string,
  accessKeyId: string,
): Identity {
  const arn = `arn:aws:iam::${accountId}:user/${userName}`;
  return {
    type: 'IAMUser',
    accountId,
    arn,
    principalId: principalUniqueId('AIDA', arn),
    accessKeyId,
    userName,
  };
}

const ROLE_ARN =
  /^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;

/** Splits `arn:aws:iam::ACCT:role[/path]/NAME`; undefined when it is not a role ARN. */
export function parseRoleArn(
  arn: string,
): { accountId: string; roleName: string } | undefined {
  const match = ROLE_ARN.exec(arn);
  return match ? { accountId: match[1], roleName: match[2] } : undefined;
}

export function roleSession(
  roleArn: string,
  sessionName: string,
  issuedAt: number,
  durationMs: number,
): RoleSession {
  const parsed = parseRoleArn(roleArn);
  if (!parsed) throw new Error(`not a role ARN: ${roleArn}`);
  return {
    roleArn,
    roleName: parsed.roleName,
    roleId: principalUniqueId('AROA', roleArn),
    sessionName,
    issuedAt,
    expiresAt: issuedAt + durationMs,
  };
}

export function assumedRoleIdentity(
  session: RoleSession,
  accessKeyId: string,
): Identity {
  const accountId = parseRoleArn(session.roleArn)!.accountId;
  return {
    type: 'AssumedRole',
    accountId,
    arn: `arn:aws:sts::${accountId}:assumed-role/${session.roleName}/${session.sessionName}`,
    principalId: `${session.roleId}:${session.sessionName}`,
    accessKeyId,
    session,
  };
}
