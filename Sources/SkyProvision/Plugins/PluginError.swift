import Foundation

/// Why talking to a provisioner plugin failed. Every message names the plugin and its path so
/// the user knows which executable to fix.
public enum PluginError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The executable could not be started.
    case launchFailed(plugin: String, path: String, reason: String)
    /// The child exited (or closed stdout) while calls were pending.
    case crashed(plugin: String, path: String, status: Int32?, stderrTail: String)
    /// No reply within the deadline.
    case timedOut(plugin: String, method: String, seconds: Double)
    /// A stdout line that is not a protocol message.
    case garbage(plugin: String, path: String, line: String)
    /// The plugin speaks none of our protocol versions.
    case unsupportedVersion(plugin: String, path: String, offered: [Int], supported: [Int])
    /// The plugin answered with an error object.
    case remote(plugin: String, method: String, code: String, message: String, retryable: Bool)
    /// The reply did not have the expected shape.
    case badReply(plugin: String, method: String, reason: String)
    /// The caller's task was cancelled (Ctrl-C); a `cancel` notification was sent.
    case cancelled(plugin: String, method: String)

    public var description: String {
        switch self {
        case .launchFailed(let plugin, let path, let reason):
            "Plugin '\(plugin)' (\(path)) could not be started: \(reason). Check that the file is an executable ('chmod +x \(path)')."
        case .crashed(let plugin, let path, let status, let tail):
            "Plugin '\(plugin)' (\(path)) exited unexpectedly"
                + (status.map { " with status \($0)" } ?? "")
                + (tail.isEmpty ? "." : ". Its last log lines:\n\(tail)")
        case .timedOut(let plugin, let method, let seconds):
            "Plugin '\(plugin)' did not answer '\(method)' within \(Self.format(seconds)) s; the call was cancelled."
        case .garbage(let plugin, let path, let line):
            "Plugin '\(plugin)' (\(path)) printed a line that is not a protocol message: \(Self.clip(line)). "
                + "A plugin must write only JSON lines to stdout and log to stderr."
        case .unsupportedVersion(let plugin, let path, let offered, let supported):
            "Plugin '\(plugin)' (\(path)) speaks protocol version(s) \(offered.map(String.init).joined(separator: ", ")); "
                + "this sky supports \(supported.map(String.init).joined(separator: ", ")). Upgrade the plugin or sky."
        case .remote(let plugin, let method, let code, let message, _):
            "Plugin '\(plugin)' failed '\(method)' (\(code)): \(message)"
        case .badReply(let plugin, let method, let reason):
            "Plugin '\(plugin)' sent an invalid reply to '\(method)': \(reason)"
        case .cancelled(let plugin, let method):
            "The call '\(method)' to plugin '\(plugin)' was cancelled."
        }
    }

    /// The `ProvisionError` the failover loop sees: remote errors keep their code.
    public var provisionError: ProvisionError {
        if case .remote(_, _, let code, _, _) = self {
            return ProvisionError(code: code, message: description)
        }
        return .internal(description)
    }

    static func clip(_ line: String) -> String {
        line.count > 120 ? "'" + line.prefix(120) + "…'" : "'" + line + "'"
    }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(format: "%.1f", seconds)
    }
}
