import { ATTR } from '../../common/attributes/attribute-keys';
import type { DependencyMapper } from './dependency-fields';

const RPC_TYPE_BY_SYSTEM: Readonly<Record<string, string>> = {
  grpc: 'GRPC',
  wcf: 'WCF Service',
  dotnet_wcf: 'WCF Service',
};

/**
 * RPC calls (`rpc.system`): type `GRPC` / `WCF Service` / the system, resultCode =
 * `rpc.grpc.status_code`, target = `peer.service` or `server.address[:port]`, else the system.
 */
export const rpcDependency: DependencyMapper = (span, reader) => {
  const system = reader.string(ATTR.RPC_SYSTEM);
  if (system === undefined) return undefined;
  const statusCode = reader.string(ATTR.RPC_GRPC_STATUS_CODE);
  const address = reader.string(ATTR.SERVER_ADDRESS);
  const port = reader.number(ATTR.SERVER_PORT);
  const hostPort = address !== undefined && port !== undefined ? `${address}:${port}` : address;
  return {
    type: RPC_TYPE_BY_SYSTEM[system] ?? system,
    name: span.name || system,
    target: reader.string(ATTR.PEER_SERVICE) ?? hostPort ?? system,
    ...(statusCode !== undefined ? { resultCode: statusCode } : {}),
  };
};
