import Foundation
import SkyCore
import SkyState
import Synchronization
import Testing

@testable import SkyEngine

/// A private Sky home (and user home) per test, an engine on it, and helpers.
struct LifecycleFixture {
    let root: String
    let engine: SkyEngine
    let lines = LineBox()

    var skyHome: String { root + "/sky" }
    var store: SQLiteStateStore { SQLiteStateStore(home: skyHome) }

    /// `environment`: added to the engine's (and so to the skylet's on the nodes).
    init(tag: String, poolsYAML: String? = nil, environment: [String: String] = [:]) throws {
        root = "/tmp/sky-lifecycle-\(tag)-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createDirectory(
            atPath: root + "/sky", withIntermediateDirectories: true)
        if let poolsYAML {
            try poolsYAML.write(
                toFile: root + "/sky/ssh_node_pools.yaml", atomically: true, encoding: .utf8)
        }
        var env = ProcessInfo.processInfo.environment
        env["HOME"] = root
        env["SKY_HOME"] = root + "/sky"
        env["USER"] = "tester"
        env.removeValue(forKey: "SKY_ENABLED_CLOUDS")
        env.merge(environment) { _, new in new }
        engine = SkyEngine(home: root + "/sky", environment: env)
        let fixture = self
        try FixtureScope.defer("LifecycleFixture") { await fixture.cleanUp() }
    }

    func task(_ yaml: String) throws -> Task {
        guard
            case .task(let task) = try TaskLoader.load(
                yaml: yaml, fileName: "task.yaml", baseDirectory: root, overrides: TaskOverrides())
        else { throw EngineError.invalidArgument("not a single task") }
        return task
    }

    var output: LaunchOutput {
        let lines = self.lines
        return LaunchOutput(progress: { _ in }, log: { line in lines.append(line) })
    }

    func takeLines() -> [String] {
        lines.take()
    }

    func launch(_ yaml: String, cluster: String, detach: Bool = false) async throws -> LaunchResult
    {
        var options = LaunchOptions(clusterName: cluster)
        options.detach = detach
        options.retryDelay = .milliseconds(100)
        return try await engine.launch(try task(yaml), options: options, output: output)
    }

    /// The error of a launch that must fail; records an issue (`why` it should have failed)
    /// and returns "" when it succeeds.
    func refusal(
        _ yaml: String, cluster: String, _ why: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async -> String {
        do {
            _ = try await launch(yaml, cluster: cluster)
            Issue.record("launch of '\(cluster)' succeeded: \(why)", sourceLocation: sourceLocation)
            return ""
        } catch {
            return "\(error)"
        }
    }

    func record(_ name: String) async throws -> ClusterRecord? {
        try await store.cluster(named: name)
    }

    func cleanUp() async {
        for record in (try? await store.clusters()) ?? [] {
            try? await engine.down(record.name, purge: true)
        }
        try? FileManager.default.removeItem(atPath: root)
    }

    /// A skylet binary is needed to launch anything.
    static var skyletAvailable: Bool {
        let env = ProcessInfo.processInfo.environment
        return FileManager.default.isExecutableFile(atPath: SkyletBinary.locate(environment: env))
    }
}

/// Log lines collected from a launch.
final class LineBox: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    func take() -> [String] {
        lines.withLock { current in
            defer { current = [] }
            return current
        }
    }
}
