import { KeyIndex, compareUtf8 } from './keyIndex';
import {
  decodeContinuationToken,
  encodeContinuationToken,
  listPage,
} from './listing';

const utf8Order = (a: string, b: string) =>
  Buffer.compare(Buffer.from(a), Buffer.from(b));

describe('KeyIndex', () => {
  it('orders keys as their UTF-8 bytes, including astral characters', () => {
    const keys = [
      'b',
      'a',
      '\uFF21',
      '\u{1F600}',
      'é',
      'e',
      'Z',
      'a/b',
      'a-b',
      '',
    ];
    expect([...keys].sort(compareUtf8)).toEqual([...keys].sort(utf8Order));
    const index = new KeyIndex<number>();
    keys.forEach((key, i) => index.set(key, i));
    expect(index.keys()).toEqual([...keys].sort(utf8Order));
  });

  it('stays sorted and unique through interleaved writes, overwrites and deletes', () => {
    const index = new KeyIndex<number>();
    const live = new Map<string, number>();
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 200; i++) {
        const key = `k/${Math.floor(random() * 500)}`;
        if (random() < 0.2) {
          index.delete(key);
          live.delete(key);
        } else {
          index.set(key, round);
          live.set(key, round);
        }
      }
      expect(index.keys()).toEqual([...live.keys()].sort(utf8Order));
    }
    expect(index.size).toBe(live.size);
  });

  it('lists by prefix and delimiter like a naive filter would', () => {
    const index = new KeyIndex<true>();
    const all: string[] = [];
    for (const region of ['eu-west-1', 'us-east-1', 'us-west-2']) {
      for (let day = 1; day <= 20; day++) {
        for (let file = 0; file < 25; file++) {
          const key = `AWSLogs/111111111111/CloudTrail/${region}/2024/06/${String(
            day,
          ).padStart(2, '0')}/f${file}.json.gz`;
          all.push(key);
          index.set(key, true);
        }
      }
    }
    const prefix = 'AWSLogs/111111111111/CloudTrail/us-east-1/2024/06/1';
    const page = listPage(index, { prefix, maxKeys: 1000 });
    expect(page.keys).toEqual(
      all.filter(k => k.startsWith(prefix)).sort(utf8Order),
    );
    const days = listPage(index, {
      prefix: 'AWSLogs/111111111111/CloudTrail/us-east-1/2024/06/',
      delimiter: '/',
      maxKeys: 1000,
    });
    expect(days.commonPrefixes).toHaveLength(20);
    expect(days.keys).toEqual([]);
  });

  it('resumes after a key or after a common prefix', () => {
    const index = new KeyIndex<true>();
    for (const key of ['a/1', 'a/2', 'b', 'c/1', 'd']) index.set(key, true);
    const first = listPage(index, { prefix: '', delimiter: '/', maxKeys: 2 });
    expect([first.commonPrefixes, first.keys, first.isTruncated]).toEqual([
      ['a/'],
      ['b'],
      true,
    ]);
    const token = decodeContinuationToken(
      encodeContinuationToken(first.last!),
    )!;
    const second = listPage(index, {
      prefix: '',
      delimiter: '/',
      maxKeys: 2,
      after: token.value,
    });
    expect([second.commonPrefixes, second.keys, second.isTruncated]).toEqual([
      ['c/'],
      ['d'],
      false,
    ]);
    const afterPrefix = listPage(index, {
      prefix: '',
      maxKeys: 10,
      afterCommonPrefix: 'a/',
    });
    expect(afterPrefix.keys).toEqual(['b', 'c/1', 'd']);
    expect(decodeContinuationToken('not a token')).toBeUndefined();
  });
});
