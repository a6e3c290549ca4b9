import { AwsError } from '../../errors';
import type { Identity } from '../../identity';
import { uuid } from '../../ids';
import { jsonOk, readJsonCall } from '../../protocols/json';
import {
  queryAuthRefusal,
  queryError,
  queryOk,
  queryParameters,
  queryStructure,
} from '../../protocols/query';
import type { XmlValue } from '../../xml';
import {
  type CallContext,
  type IncomingCall,
  type ParsedCall,
  type RefusalKind,
  type ServiceHandler,
  accessDeniedMessage,
} from '../types';
import {
  type GetMetricDataOutput,
  type ListedMetric,
  getMetricData,
  listMetrics,
} from './operations';

/**
 * Amazon CloudWatch metric reads. The AWS SDK for JavaScript v3 speaks
 * AWS JSON 1.0 (`X-Amz-Target: GraniteServiceVersion20100801.<Operation>`,
 * query-compatible errors); the AWS CLI and older SDKs speak the Query
 * protocol (`Action=…&Version=2010-08-01`, XML answers). Both are served.
 */

export const CLOUDWATCH_TARGET_PREFIX = 'GraniteServiceVersion20100801.';
export const CLOUDWATCH_VERSION = '2010-08-01';
const NAMESPACE = 'http://monitoring.amazonaws.com/doc/2010-08-01/';

const OPERATIONS = ['GetMetricData', 'ListMetrics'] as const;

/** JSON error shapes whose name differs from the Query error code. */
const JSON_SHAPES: Record<string, string> = {
  InvalidParameterValue: 'InvalidParameterValueException',
  MissingParameter: 'MissingRequiredParameterException',
  InvalidParameterCombination: 'InvalidParameterCombinationException',
  ValidationError: 'ValidationException',
};

interface CloudWatchCall extends ParsedCall {
  input: Record<string, any>;
  json: boolean;
}

function isJson(incoming: IncomingCall): boolean {
  return typeof incoming.headers['x-amz-target'] === 'string';
}

function xmlDimensions(dimensions: ListedMetric['Dimensions']): XmlValue {
  return { member: dimensions.map(d => ({ Name: d.Name, Value: d.Value })) };
}

function metricDataXml(output: GetMetricDataOutput): Record<string, XmlValue> {
  return {
    MetricDataResults: {
      member: output.MetricDataResults.map(result => ({
        Id: result.Id,
        Label: result.Label,
        Timestamps: {
          member: result.Timestamps.map(t => new Date(t).toISOString()),
        },
        Values: { member: result.Values },
        StatusCode: result.StatusCode,
      })),
    },
    NextToken: output.NextToken,
    Messages: { member: [] },
  };
}

function metricDataJson(output: GetMetricDataOutput) {
  return {
    MetricDataResults: output.MetricDataResults.map(result => ({
      ...result,
      Timestamps: result.Timestamps.map(t => t / 1000),
    })),
    ...(output.NextToken ? { NextToken: output.NextToken } : {}),
    Messages: [],
  };
}

export const cloudWatchService: ServiceHandler<CloudWatchCall> = {
  service: 'cloudwatch',
  newRequestId: uuid,

  parse(incoming: IncomingCall): CloudWatchCall {
    const json = isJson(incoming);
    let operation: string | undefined;
    let input: Record<string, any>;
    if (json) {
      ({ operation, input } = readJsonCall(incoming));
    } else {
      const params = queryParameters(
        incoming.method,
        incoming.body,
        incoming.query,
      );
      operation = params.get('Action') ?? undefined;
      input = queryStructure(params);
    }
    if (!operation || !(OPERATIONS as readonly string[]).includes(operation)) {
      throw new AwsError(
        'InvalidAction',
        `The emulator does not implement cloudwatch:${operation ?? ''}.`,
        400,
      );
    }
    return { operation, action: `cloudwatch:${operation}`, input, json };
  },

  // Neither read takes a resource: IAM authorizes them on `*`.
  resourceArn: () => '*',

  refusal(
    kind: RefusalKind,
    call: CloudWatchCall | undefined,
    identity?: Identity,
  ) {
    return (
      queryAuthRefusal(kind) ??
      new AwsError(
        'AccessDenied',
        accessDeniedMessage(identity, call?.action ?? 'cloudwatch:*', '*'),
        403,
      )
    );
  },

  handle(call: CloudWatchCall, ctx: CallContext) {
    const where = {
      accountId: ctx.identity.accountId,
      region: ctx.region,
      now: ctx.time,
    };
    if (call.operation === 'GetMetricData') {
      const output = getMetricData(ctx.world.metrics, call.input, where);
      return call.json
        ? jsonOk('1.0', ctx.requestId, metricDataJson(output))
        : queryOk(
            'GetMetricData',
            metricDataXml(output),
            ctx.requestId,
            NAMESPACE,
          );
    }
    const output = listMetrics(ctx.world.metrics, call.input, where);
    return call.json
      ? jsonOk('1.0', ctx.requestId, output)
      : queryOk(
          'ListMetrics',
          {
            Metrics: {
              member: output.Metrics.map(m => ({
                Namespace: m.Namespace,
                MetricName: m.MetricName,
                Dimensions: xmlDimensions(m.Dimensions),
              })),
            },
            NextToken: output.NextToken,
          },
          ctx.requestId,
          NAMESPACE,
        );
  },

  errorResult(error: AwsError, requestId: string, incoming: IncomingCall) {
    if (!isJson(incoming)) return queryError(error, requestId, NAMESPACE);
    // Query-compatible JSON: the SDK takes the error code from this header.
    return {
      status: error.status,
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amzn-requestid': requestId,
        'x-amzn-query-error': `${error.code};${error.fault}`,
        ...error.headers,
      },
      body: JSON.stringify({
        __type: `com.amazonaws.cloudwatch#${
          JSON_SHAPES[error.code] ?? error.code
        }`,
        message: error.message,
      }),
    };
  },
};
