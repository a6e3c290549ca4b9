import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { DefaultTrailDiscoveryService } from '@lineage/plugin-dynamodb-lineage-node';
import { fakeAws } from '../__testUtils__/fakeAws';
import {
  actionContext,
  demoAccounts,
  permissionsWith,
  recordingAuditor,
} from '../__testUtils__/fixtures';
import { createDynamoDbLineageProvisionAction } from './provision';

const analytics = {
  accountId: '444444444444',
  region: 'us-east-1',
  owner: 'group:default/team-analytics',
};
const TRAIL_ARN =
  'arn:aws:cloudtrail:us-east-1:444444444444:trail/dynamodb-lineage';
const TRAIL_REF = 'resource:default/444444444444-us-east-1-dynamodb-lineage';

function setup(discover: () => Promise<{ arn: string; entityRef: string }[]>) {
  const trailDiscovery = new DefaultTrailDiscoveryService();
  const discoverer = jest.fn(discover);
  trailDiscovery.setDiscoverer(discoverer);
  const action = createDynamoDbLineageProvisionAction({
    clientFactory: fakeAws().factory,
    catalog: catalogServiceMock({ entities: demoAccounts }),
    permissions: permissionsWith(AuthorizeResult.ALLOW),
    auditor: recordingAuditor().auditor,
    trailDiscovery,
  });
  return { action, discoverer };
}

describe('aws:dynamodb-lineage:provision and trail discovery', () => {
  it('discovers trails right after creating one and outputs its entity', async () => {
    const { action, discoverer } = setup(async () => [
      {
        arn: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/other',
        entityRef: 'resource:default/other',
      },
      { arn: TRAIL_ARN, entityRef: TRAIL_REF },
    ]);
    const { ctx, outputs } = actionContext(analytics);
    await action.handler(ctx);
    expect(discoverer).toHaveBeenCalledTimes(1);
    expect(outputs().trailEntityRef).toBe(TRAIL_REF);
  });

  it('still succeeds without the link when discovery fails', async () => {
    const { action } = setup(async () => {
      throw new Error('catalog is not connected yet');
    });
    const { ctx, outputs } = actionContext(analytics);
    await action.handler(ctx);
    expect(outputs().changes).toEqual(expect.any(Array));
    expect(outputs().trailEntityRef).toBeUndefined();
  });

  it('does not discover on a dry run', async () => {
    const { action, discoverer } = setup(async () => []);
    const { ctx } = actionContext(analytics, { isDryRun: true });
    await action.handler(ctx);
    expect(discoverer).not.toHaveBeenCalled();
  });
});
