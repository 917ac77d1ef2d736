/// Errors of reading SSH node pool files and inventories.
package enum SSHPoolError: Error, CustomStringConvertible {
    case invalidFile(path: String, reason: String)
    case unknownPool(String, known: [String])

    package var description: String {
        switch self {
        case .invalidFile(let path, let reason):
            "Invalid SSH node pool file \(path): \(reason)."
        case .unknownPool(let name, let known):
            "No SSH node pool named '\(name)'"
                + (known.isEmpty
                    ? "; none are defined." : " (pools: \(known.joined(separator: ", "))).")
                + " Edit ~/.sky/ssh_node_pools.yaml and run 'sky ssh up'."
        }
    }
}
