import Foundation
import SkyState
import Synchronization

/// A temporary SKY_HOME, removed by `remove()`.
struct TemporaryHome {
    let path: String

    init() throws {
        let base = FileManager.default.temporaryDirectory.path
        path = (base as NSString).appendingPathComponent("sky-state-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            atPath: path, withIntermediateDirectories: true)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// A clock the test moves by hand.
final class ManualClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        current = Mutex(start)
    }

    var now: Date { current.withLock { $0 } }

    func advance(seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    var function: @Sendable () -> Date { { self.now } }
}

/// Runs `body` with a fresh file-backed store in a temporary home.
func withFileStore<T>(
    clock: ManualClock? = nil, _ body: (SQLiteStateStore, TemporaryHome) async throws -> T
) async throws -> T {
    let home = try TemporaryHome()
    defer { home.remove() }
    let store =
        clock.map { SQLiteStateStore(home: home.path, clock: $0.function) }
        ?? SQLiteStateStore(home: home.path)
    return try await body(store, home)
}

func sampleCluster(
    _ name: String, status: ClusterStatus = .initializing, hash: String? = nil,
    hourlyCost: Double = 1, numNodes: Int = 1
) -> ClusterRecord {
    ClusterRecord(
        name: name, status: status, launchedAt: Date(timeIntervalSince1970: 1_700_000_000),
        lastUse: "sky launch -c \(name) task.yaml", autostopMinutes: 10, toDown: true,
        owner: "arn:aws:iam::1:user/me", userName: "alice", userHash: "a1b2c3d4",
        clusterHash: hash ?? "\(name)-hash", workspace: "default", cloud: "aws",
        region: "us-east-1", zone: "us-east-1a", numNodes: numNodes, cpus: 8, memory: 32,
        accelerators: ["A100": 8], resourcesString: "\(numNodes)x AWS(p4d.24xlarge)",
        labels: ["team": "ml", "env": "dev"], clusterNameOnCloud: "\(name)-2ea4",
        handle: #"{"head_ip":"10.0.0.1"}"#, lastCreationCommand: "sky launch -c \(name)",
        lastCreationYaml: "run: echo hi\n", origin: "cli", isManaged: false,
        hourlyCost: hourlyCost, priority: 3)
}
