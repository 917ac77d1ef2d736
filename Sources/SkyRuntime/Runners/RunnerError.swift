/// Errors of command runners (transport failures, not a command's own non-zero exit).
package enum RunnerError: Error, CustomStringConvertible {
    /// A file copy (rsync) failed.
    case copyFailed(node: String, command: String, detail: String)
    /// The node could not be reached (ssh exit 255).
    case unreachable(node: String, detail: String)

    package var description: String {
        switch self {
        case .copyFailed(let node, let command, let detail):
            "Copying files to/from \(node) failed (\(command)): \(detail)"
        case .unreachable(let node, let detail):
            "Cannot reach \(node) over ssh: \(detail). Check that the host is up, the user and "
                + "key are right, and its host key is known."
        }
    }
}
