import Foundation
import SkyCore

/// Every user-facing operation of Sky is a method of the engine (in extension files by
/// concern: `SkyEngine+Launch.swift`, `SkyEngine+Jobs.swift`, ...). The CLI, the API server and
/// the operator all call it.
public final class SkyEngine: Sendable {
    /// `$SKY_HOME`, default `~/.sky`.
    public let home: String
    /// The environment of the caller (for `--env K`, credentials lookup, SKY_* settings).
    public let environment: [String: String]

    public init(home: String, environment: [String: String]) {
        self.home = home
        self.environment = environment
    }

    /// The embedded engine: state in `$SKY_HOME` (default `~/.sky`).
    public static func embedded(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> SkyEngine {
        let home =
            environment["SKY_HOME"]
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.sky"
        return SkyEngine(home: home, environment: environment)
    }
}
