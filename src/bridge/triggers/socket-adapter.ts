import type { AbsSocketEvents, AbsSocketListener } from '../../abs/socket.js';
import type { BridgeListener, BridgeListenerEvents } from '../ports.js';

/**
 * Adapts src/abs's socket listener (an EventEmitter with `state` as a getter) to the bridge's
 * listener port. The listener already validates payloads and keeps only book libraries.
 */
export function bridgeListenerFrom(socket: AbsSocketListener): BridgeListener {
  return {
    on(event, handler) {
      const h = handler as (payload: unknown) => void;
      const listener =
        event === 'ready'
          ? () => h(undefined)
          : event === 'task_finished'
            ? (task: { action?: string; data?: { libraryId?: string } }) =>
                h({ action: task.action, libraryId: task.data?.libraryId })
            : (payload: unknown) => h(payload);
      socket.on(event as keyof AbsSocketEvents, listener as never);
      return () => {
        socket.off(event as keyof AbsSocketEvents, listener as never);
      };
    },
    state: () => socket.state,
    async start() {
      socket.start();
    },
    async stop() {
      socket.stop();
    },
  };
}

export type { BridgeListenerEvents };
