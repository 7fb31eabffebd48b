import { Prisma } from '../../generated/prisma/client.js';
import type { ShardScope } from '../shard-scope.js';

/** SQL condition "this row's guild belongs to this process" (always true unsharded); see shardOfGuild. */
export function shardCondition(scope: ShardScope): Prisma.Sql {
  if (scope.count <= 1) return Prisma.sql`TRUE`;
  return Prisma.sql`(guild_id ~ '^[0-9]+$' AND ((guild_id::numeric::bigint >> 22) % ${scope.count}) = ANY(${scope.ids}::int[]))`;
}
