import Foundation
import SkyState
import Synchronization

/// The engine's cluster records as the reconcilers read them: one query for all records,
/// reused until the state database changes (any commit changes the size or modification time
/// of `state.db` or its write-ahead log; file times are coarse, so a snapshot is also never
/// older than `maxAge`). An idle resync of many resources then reads the database once, not
/// once per resource.
final class StateCache: Sendable {
    let store: SQLiteStateStore
    private let paths: [String]
    private let snapshot = Mutex<
        (signature: [Int64], taken: ContinuousClock.Instant, records: [String: ClusterRecord])?
    >(nil)
    let maxAge: Duration = .seconds(2)

    init(home: String) {
        store = SQLiteStateStore(home: home)
        let database = (home as NSString).appendingPathComponent("state.db")
        paths = [database, database + "-wal"]
    }

    /// The record of cluster `name` (nil when the engine has none).
    func cluster(named name: String) async throws -> ClusterRecord? {
        let signature = currentSignature()
        let now = ContinuousClock.now
        if let cached = snapshot.withLock({ $0 }), cached.signature == signature,
            now - cached.taken < maxAge
        {
            return cached.records[name]
        }
        // Read after taking the signature: a commit in between changes it again, and the next
        // call reloads.
        let records = try await store.clusters()
        let byName = Dictionary(
            records.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        snapshot.withLock { $0 = (signature, now, byName) }
        return byName[name]
    }

    /// Size and modification time (ns) of each file; -1 when absent.
    private func currentSignature() -> [Int64] {
        var out: [Int64] = []
        for path in paths {
            var info = stat()
            if stat(path, &info) == 0 {
                out.append(Int64(info.st_size))
                out.append(Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))
            } else {
                out += [-1, -1]
            }
        }
        return out
    }
}
