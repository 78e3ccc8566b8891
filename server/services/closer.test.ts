import { describe, expect, it } from 'vitest';
import { Closer } from './closer.ts';

describe('Closer', () => {
  it('runs close functions last-registered first, once however often it is asked', async () => {
    const closer = new Closer();
    const order: string[] = [];
    closer.defer(() => order.push('database'));
    closer.defer(async () => {
      await Promise.resolve();
      order.push('bot');
    });
    closer.defer(() => order.push('app'));
    await Promise.all([closer.close(), closer.close()]);
    await closer.close();
    expect(order).toEqual(['app', 'bot', 'database']);
  });

  it('runs every close function when one fails, then throws its error', async () => {
    const closer = new Closer();
    const order: string[] = [];
    const broken = new Error('socket already gone');
    closer.defer(() => order.push('database'));
    closer.defer(() => {
      throw broken;
    });
    closer.defer(() => order.push('app'));
    await expect(closer.close()).rejects.toBe(broken);
    expect(order).toEqual(['app', 'database']);
  });

  it('throws every error when several close functions fail', async () => {
    const closer = new Closer();
    closer.defer(() => Promise.reject(new Error('first registered')));
    closer.defer(() => Promise.reject(new Error('last registered')));
    const error = await closer.close().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AggregateError);
    expect((error as AggregateError).errors.map((e: Error) => e.message)).toEqual([
      'last registered',
      'first registered',
    ]);
  });

  it('unwinds after a failed start and throws the failure, not what closing said', async () => {
    const closer = new Closer();
    const order: string[] = [];
    closer.defer(() => order.push('database'));
    const failure = new Error('port in use');
    await expect(closer.fail(failure)).rejects.toBe(failure);
    expect(order).toEqual(['database']);

    const both = new Closer();
    both.defer(() => {
      throw new Error('lock file gone');
    });
    const error = await both.fail(failure).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AggregateError);
    expect((error as AggregateError).errors[0]).toBe(failure);
  });

  it('refuses new close functions once closing has begun', async () => {
    const closer = new Closer();
    const closing = closer.close();
    expect(() => closer.defer(() => {})).toThrow(/closing has begun/);
    await closing;
  });
});
