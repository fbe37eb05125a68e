import type { BridgeAbs } from '../ports.js';

/**
 * The ABS port with some methods replaced or added — how the pipeline's wrappers (item-writes,
 * item-reads, catalogue-writes) layer over the client. A proxy, so getters and class methods of
 * the client stay intact; methods not replaced are bound to it.
 */
export function withMethods<T extends object>(abs: BridgeAbs, methods: T): BridgeAbs & T {
  return new Proxy(abs as BridgeAbs & T, {
    get(target, prop) {
      if (Object.hasOwn(methods, prop)) return methods[prop as keyof T];
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
