import { DATA_EVENT_PRICE_USD_PER_100K } from '@lineage/plugin-dynamodb-lineage-common';

const usd = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  maximumFractionDigits: 2,
});

const count = new Intl.NumberFormat('en-US');

export function formatUsd(amount: number): string {
  return usd.format(amount);
}

export function formatCount(value: number): string {
  return count.format(value);
}

export const COST_NOTE =
  `CloudTrail bills data events at ${usd.format(
    DATA_EVENT_PRICE_USD_PER_100K,
  )} per 100,000 events (1 billion DynamoDB calls a month ≈ $1,000). ` +
  'CloudTrail Insights, when enabled, is priced separately per event analysed.';
