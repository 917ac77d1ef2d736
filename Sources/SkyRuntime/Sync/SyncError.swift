/// Errors of syncing a workdir or file mounts to the nodes.
package enum SyncError: Error, CustomStringConvertible {
    case missingSource(String)
    case storageNotSupported(destination: String, source: String)
    case gitFailed(node: String, detail: String)
    case sshKeyMissing(String)
    case destinationUnwritable(node: String, detail: String)

    package var description: String {
        switch self {
        case .missingSource(let path):
            "The local path \(path) does not exist. Fix the workdir or file_mounts entry."
        case .storageNotSupported(let destination, let source):
            "file_mounts entry \(destination): \(source) is a cloud storage source; it comes with storage support, which this build does not have yet. Use a local path."
        case .gitFailed(let node, let detail):
            "Could not check out the git workdir on \(node): \(detail)"
        case .destinationUnwritable(let node, let detail):
            "Could not create a file_mounts destination on \(node) (\(detail)). Use a path under ~ or give the user passwordless sudo."
        case .sshKeyMissing(let path):
            "GIT_SSH_KEY_PATH points to \(path), which does not exist. Set it to your private key for the git host."
        }
    }
}
