/// Errors raised by the CLI layer itself. Engine and model errors pass through unchanged;
/// `ExitCodes` maps everything to a message and an exit code.
enum CLIError: Error, CustomStringConvertible {
    /// The command's engine part is not in this build yet (exit 2). `command` is e.g. "jobs launch".
    case notAvailable(command: String)
    /// Bad combination of arguments found after parsing (exit 2).
    case usage(String)
    /// A failure whose message was already printed (exit 1, nothing more printed).
    case reported
    /// The user declined a confirmation prompt or none could be shown (exit 1).
    case aborted

    var description: String {
        switch self {
        case .notAvailable(let command): "sky \(command): not available yet in this build"
        case .usage(let message): "sky: \(message)"
        case .reported: "failed"
        case .aborted: "Aborted."
        }
    }

    /// Ends the process with exit code 2 (usage) rather than 1.
    var isUsage: Bool {
        switch self {
        case .notAvailable, .usage: true
        case .reported, .aborted: false
        }
    }
}
