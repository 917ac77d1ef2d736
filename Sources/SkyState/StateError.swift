/// Errors of the state store. Each description is a sentence the user can act on.
package enum StateError: Error, CustomStringConvertible, Equatable {
    /// The state directory could not be created or the database could not be opened.
    case cannotOpen(path: String, reason: String)
    /// A database operation failed.
    case database(operation: String, reason: String)
    /// A request id prefix matches more than one request.
    case ambiguousRequestPrefix(prefix: String, matches: [String])
    /// Not enough free hosts in an SSH node pool.
    case insufficientHosts(pool: String, requested: Int, available: Int)

    package var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            return "Cannot open the Sky state database at \(path): \(reason). "
                + "Check that the directory is writable, or set SKY_HOME to another directory."
        case .database(let operation, let reason):
            return "The Sky state database failed to \(operation): \(reason)."
        case .ambiguousRequestPrefix(let prefix, let matches):
            let shown = matches.prefix(5).joined(separator: ", ")
            return "Request id prefix '\(prefix)' matches several requests (\(shown)); "
                + "give more characters of the id."
        case .insufficientHosts(let pool, let requested, let available):
            return "SSH node pool '\(pool)' has \(available) free host(s) but \(requested) "
                + "are needed; tear down a cluster that uses the pool ('sky down') or add hosts "
                + "to ~/.sky/ssh_node_pools.yaml."
        }
    }
}
