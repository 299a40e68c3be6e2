export {
  connectSocket,
  disconnectSocket,
  dispatchReconnect,
  dispatchSocketEvent,
  emitWithAck,
  getSocket,
  onReconnect,
  onSocketEvent,
  RECONNECT,
  useConnection,
} from './socket';
export type { ConnectionStatus } from './socket';
