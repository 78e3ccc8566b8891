import { describe, expect, it } from 'vitest';
import { intentMetrics, percentile } from './intent-metrics.ts';

describe('intentMetrics', () => {
  it('counts an in-scope message called out of scope as an in-scope error', () => {
    const metrics = intentMetrics([
      { expected: 'a', predicted: 'a' },
      { expected: 'a', predicted: 'oos' },
      { expected: 'b', predicted: 'b' },
      { expected: 'b', predicted: 'a' },
      { expected: 'oos', predicted: 'oos' },
      { expected: 'oos', predicted: 'b' },
    ]);
    expect(metrics.accuracy).toBe(50);
    expect(metrics.in_scope_accuracy).toBe(50);
    expect(metrics.oos_recall).toBe(50);
    expect(metrics.oos_precision).toBe(50);
    // a: P 1/2 R 1/2; b: P 1/2 R 1/2; oos: P 1/2 R 1/2
    expect(metrics.macro_f1).toBe(50);
  });

  it('picks nearest-rank percentiles', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 0.5)).toBe(50);
    expect(percentile(sorted, 0.95)).toBe(95);
    expect(percentile([], 0.5)).toBe(0);
  });
});
