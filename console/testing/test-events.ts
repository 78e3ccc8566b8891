/** Dispatches a DOM event the way a browser does for user input (bubbling, cancelable). */
export function fireEvent(target: EventTarget, type: string, init: KeyboardEventInit = {}): boolean {
  const event = type.startsWith('key')
    ? new KeyboardEvent(type, { bubbles: true, cancelable: true, ...init })
    : new Event(type, { bubbles: true, cancelable: true });
  return target.dispatchEvent(event);
}
