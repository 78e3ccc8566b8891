import type { Saved } from './contract.ts';

/**
 * localStorage, when the browser lets us have it: it throws when third-party storage is blocked
 * or the quota is full, and then the widget simply forgets between page loads.
 */
export function load(key: string): Saved {
  try {
    const raw = localStorage.getItem(key);
    const value: unknown = raw ? JSON.parse(raw) : undefined;
    return value && typeof value === 'object' ? (value as Saved) : {};
  } catch {
    return {};
  }
}

export function save(key: string, value: Saved): void {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage is blocked or full: keep working without it.
  }
}

export function forget(key: string): void {
  try {
    localStorage.removeItem(key);
  } catch {
    // Same as above.
  }
}
