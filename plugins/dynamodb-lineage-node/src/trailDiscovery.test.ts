import { DefaultTrailDiscoveryService } from './trailDiscovery';

describe('DefaultTrailDiscoveryService', () => {
  it('says nothing was discovered until a discoverer is registered, then runs it each time', async () => {
    const service = new DefaultTrailDiscoveryService();
    expect(await service.discoverNow()).toBeUndefined();
    const discover = jest.fn(async () => [
      {
        arn: 'arn:aws:cloudtrail:us-east-1:1:trail/t',
        entityRef: 'resource:default/t',
      },
    ]);
    service.setDiscoverer(discover);
    expect(await service.discoverNow()).toEqual([
      {
        arn: 'arn:aws:cloudtrail:us-east-1:1:trail/t',
        entityRef: 'resource:default/t',
      },
    ]);
    await service.discoverNow();
    expect(discover).toHaveBeenCalledTimes(2);
  });
});
