import {
  accountWithoutId,
  analyticsGroup,
  componentWithoutTables,
  paymentsAccount,
  paymentsComponent,
  paymentsTrailEntity,
  unrelatedResource,
} from '../../testing/fixtures';
import { isDynamoDbLineageAvailable } from './lineageTarget';

describe('isDynamoDbLineageAvailable', () => {
  it('is true only where the card has something to show', () => {
    expect(isDynamoDbLineageAvailable(analyticsGroup)).toBe(true);
    expect(isDynamoDbLineageAvailable(paymentsComponent)).toBe(true);
    expect(isDynamoDbLineageAvailable(paymentsAccount)).toBe(true);
    expect(isDynamoDbLineageAvailable(paymentsTrailEntity)).toBe(true);
    expect(isDynamoDbLineageAvailable(componentWithoutTables)).toBe(false);
    expect(isDynamoDbLineageAvailable(accountWithoutId)).toBe(false);
    expect(isDynamoDbLineageAvailable(unrelatedResource)).toBe(false);
  });
});
