import { describe, expect, it } from 'vitest';
import { vectorLiteral } from './pgvector-store.ts';

describe('vectorLiteral', () => {
  it('writes zeros as 0 and rounds the rest to five decimals, without moving a cosine', () => {
    const vector = [0, 0.0816496580927726, -0.1781741612749496, 1e-7, 0.5];
    expect(vectorLiteral(vector)).toBe('[0,0.08165,-0.17817,0,0.5]');
    const parsed = JSON.parse(vectorLiteral(vector)) as number[];
    const cosine = (a: number[], b: number[]) =>
      a.reduce((sum, x, i) => sum + x * b[i]!, 0) /
      Math.sqrt(a.reduce((s, x) => s + x * x, 0) * b.reduce((s, x) => s + x * x, 0));
    expect(Math.abs(cosine(parsed, vector) - 1)).toBeLessThan(1e-4);
    expect(vectorLiteral([])).toBe('[]');
  });
});
