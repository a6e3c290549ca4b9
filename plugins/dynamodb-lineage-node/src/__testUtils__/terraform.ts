import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/*
 * The Terraform CLI and a local copy of the hashicorp/aws provider, as
 * independent judges of the Terraform the product renders. Offline: `init`
 * takes the provider from the plugin directory and never reaches a registry.
 */

export const TERRAFORM_BINARY =
  process.env.LINEAGE_TEST_TERRAFORM ?? '/usr/local/bin/terraform';
export const TERRAFORM_PLUGIN_DIR =
  process.env.LINEAGE_TEST_TERRAFORM_PLUGIN_DIR ?? '/opt/tf-plugins';

/** Why the Terraform tests cannot run here, or undefined when they can. */
export function terraformMissing(): string | undefined {
  if (!fs.existsSync(TERRAFORM_BINARY)) {
    return `no Terraform binary at ${TERRAFORM_BINARY} (set LINEAGE_TEST_TERRAFORM)`;
  }
  const provider = path.join(
    TERRAFORM_PLUGIN_DIR,
    'registry.terraform.io/hashicorp/aws',
  );
  if (!fs.existsSync(provider)) {
    return `no hashicorp/aws provider under ${TERRAFORM_PLUGIN_DIR} (set LINEAGE_TEST_TERRAFORM_PLUGIN_DIR)`;
  }
  return undefined;
}

/**
 * `describe` where Terraform can run, else `describe.skip` after printing why:
 * a machine without Terraform skips these suites, visibly.
 */
export function describeWithTerraform(suite: string): jest.Describe {
  const missing = terraformMissing();
  if (!missing) return describe;
  // eslint-disable-next-line no-console
  console.warn(`Skipped "${suite}": ${missing}`);
  return describe.skip;
}

export interface TerraformRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** One terraform command in `dir`, never interactive, with no colour. */
export function terraform(
  dir: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<TerraformRun> {
  return new Promise(resolve => {
    execFile(
      TERRAFORM_BINARY,
      args,
      {
        cwd: dir,
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: process.env.HOME ?? os.tmpdir(),
          TF_IN_AUTOMATION: '1',
          TF_INPUT: '0',
          CHECKPOINT_DISABLE: '1',
          // No user CLI configuration: the plugin directory is the only source.
          TF_CLI_CONFIG_FILE: '/dev/null',
          ...env,
        },
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        let code = 0;
        if (error) code = typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Like {@link terraform}, throwing with the command's output when it fails. */
export async function terraformOk(
  dir: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<TerraformRun> {
  const run = await terraform(dir, args, env);
  if (run.code !== 0) {
    throw new Error(
      `terraform ${args.join(' ')} exited ${run.code}\n${run.stdout}\n${
        run.stderr
      }`,
    );
  }
  return run;
}

/** A fresh directory holding `files`, removed by the returned function. */
export function workingDirectory(files: Record<string, string>): {
  dir: string;
  remove: () => void;
} {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lineage-terraform-'));
  for (const [name, content] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, name), content, 'utf8');
  }
  return {
    dir,
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** `terraform init` from the local plugin directory only. */
export function initOffline(
  dir: string,
  env: Record<string, string> = {},
): Promise<TerraformRun> {
  return terraformOk(
    dir,
    [
      'init',
      '-no-color',
      '-input=false',
      `-plugin-dir=${TERRAFORM_PLUGIN_DIR}`,
    ],
    env,
  );
}
