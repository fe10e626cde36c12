import { ATTR } from '../../common/attributes/attribute-keys';
import type { DependencyFields, DependencyMapper } from './dependency-fields';

const SQL_TYPE = 'SQL';

/**
 * `db.system.name` / `db.system` value -> dependency type. SQL engines without their own
 * Application Insights type become `SQL`; values not listed are used as they are.
 */
const DB_TYPE_BY_SYSTEM: Readonly<Record<string, string>> = {
  postgresql: 'postgresql',
  mysql: 'mysql',
  mariadb: SQL_TYPE,
  mssql: SQL_TYPE,
  'microsoft.sql_server': SQL_TYPE,
  oracle: SQL_TYPE,
  'oracle.db': SQL_TYPE,
  db2: SQL_TYPE,
  'ibm.db2': SQL_TYPE,
  sqlite: SQL_TYPE,
  derby: SQL_TYPE,
  h2: SQL_TYPE,
  h2database: SQL_TYPE,
  hsqldb: SQL_TYPE,
  other_sql: SQL_TYPE,
  redis: 'redis',
  mongodb: 'mongodb',
  cosmosdb: 'cosmosdb',
  'azure.cosmosdb': 'cosmosdb',
  cassandra: 'cassandra',
};

/**
 * Database calls: type from the system, data = query text (else operation name),
 * target = `host|dbname`, `host`, `dbname` or the system. Host is `peer.service` or `server.address`.
 */
export const dbDependency: DependencyMapper = (span, reader) => {
  const system = reader.string(ATTR.DB_SYSTEM);
  if (system === undefined) return undefined;
  const data = reader.string(ATTR.DB_QUERY_TEXT) ?? reader.string(ATTR.DB_OPERATION);
  const dbName = reader.string(ATTR.DB_NAMESPACE);
  const host = reader.string(ATTR.PEER_SERVICE) ?? reader.string(['server.address', 'net.peer.name']);
  const target = host && dbName ? `${host}|${dbName}` : (host ?? dbName ?? system);
  const resultCode = reader.string(ATTR.DB_RESPONSE_STATUS_CODE);
  const fields: DependencyFields = { type: DB_TYPE_BY_SYSTEM[system] ?? system, name: span.name || system };
  if (data !== undefined) fields.data = data;
  fields.target = target;
  if (resultCode !== undefined) fields.resultCode = resultCode;
  return fields;
};
