import Foundation
import GRDB

extension SQLiteStateStore {
    package func claimHosts(pool: String, candidates: [String], count: Int, cluster: String)
        async throws -> [String]
    {
        let now = now()
        return try await write("claim hosts of pool '\(pool)'") { db in
            // The write transaction is IMMEDIATE: no other process can claim between the
            // read of the current leases and the inserts below.
            let leases = try HostLease.filter(Column("pool") == pool).fetchAll(db)
            let held = leases.filter { $0.cluster == cluster }.sorted { $0.rank < $1.rank }
            if held.count >= count { return held.prefix(max(count, 0)).map(\.host) }
            let taken = Set(leases.map(\.host))
            var seen = Set<String>()
            let free = candidates.filter { !taken.contains($0) && seen.insert($0).inserted }
            let needed = count - held.count
            guard free.count >= needed else {
                throw StateError.insufficientHosts(
                    pool: pool, requested: count, available: held.count + free.count)
            }
            let nextRank = (held.last?.rank ?? -1) + 1
            for (offset, host) in free.prefix(needed).enumerated() {
                try HostLease(
                    pool: pool, host: host, cluster: cluster, rank: nextRank + offset,
                    claimedAt: now
                ).insert(db)
            }
            return held.map(\.host) + free.prefix(needed)
        }
    }

    @discardableResult
    package func releaseHosts(cluster: String) async throws -> Int {
        try await write("release hosts of cluster '\(cluster)'") { db in
            try HostLease.filter(Column("cluster") == cluster).deleteAll(db)
        }
    }

    package func leases(pool: String) async throws -> [HostLease] {
        try await read("read leases of pool '\(pool)'") { db in
            try HostLease.filter(Column("pool") == pool)
                .order(Column("cluster"), Column("rank")).fetchAll(db)
        }
    }

    package func hosts(of cluster: String) async throws -> [HostLease] {
        try await read("read hosts of cluster '\(cluster)'") { db in
            try HostLease.filter(Column("cluster") == cluster)
                .order(Column("rank"), Column("pool")).fetchAll(db)
        }
    }
}
