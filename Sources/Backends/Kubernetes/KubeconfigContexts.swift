import Foundation
import SkyCore
import Synchronization

/// What `kubectl config current-context / get-contexts / view --minify` would say about
/// contexts, read from the kubeconfig files themselves: no kubectl process (each costs
/// ~0.1-0.2 s, and `sky check` needs these answers before its first API call).
///
/// Files as kubectl merges them: `$KUBECONFIG`'s list in order (else `~/.kube/config`); the
/// first file that sets `current-context` wins, and so does the first definition of a context.
package struct KubeconfigContexts: Sendable, Equatable {
    package var current: String?
    /// Context names in file order, each once.
    package var names: [String] = []
    /// Each context's namespace, where it sets one.
    package var namespaces: [String: String] = [:]

    package init() {}

    /// Nil when a file cannot be read or parsed: the caller then asks kubectl, which says why.
    package static func load(environment: [String: String]) -> KubeconfigContexts? {
        let paths: [String]
        if let list = environment["KUBECONFIG"], !list.isEmpty {
            paths = list.split(separator: ":").map(String.init)
        } else {
            paths = [(environment["HOME"] ?? NSHomeDirectory()) + "/.kube/config"]
        }
        var merged = KubeconfigContexts()
        for path in paths where FileManager.default.fileExists(atPath: path) {
            guard let file = cachedFile(path) else { return nil }
            if merged.current == nil { merged.current = file.current }
            for name in file.names where !merged.names.contains(name) {
                merged.names.append(name)
                if let namespace = file.namespaces[name] { merged.namespaces[name] = namespace }
            }
        }
        return merged
    }

    /// Parsed files by path, with the modification date and size they were read at: a launch
    /// asks for the context and the namespace many times, and a file is read again only when
    /// it changed.
    private static let cache = Mutex<[String: (stamp: [Double], contexts: KubeconfigContexts)]>([:])

    private static func cachedFile(_ path: String) -> KubeconfigContexts? {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let stamp = [
            (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? -1,
            Double((attributes?[.size] as? NSNumber)?.int64Value ?? -1),
        ]
        if let hit = cache.withLock({ $0[path] }), hit.stamp == stamp, !stamp.contains(-1) {
            return hit.contexts
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
            let file = try? parse(text)
        else { return nil }
        cache.withLock { $0[path] = (stamp, file) }
        return file
    }

    /// One kubeconfig file's text.
    package static func parse(_ text: String) throws -> KubeconfigContexts {
        let root = try JSONValue.parseYAML(text)
        var result = KubeconfigContexts()
        if let current = root["current-context"]?.stringValue, !current.isEmpty {
            result.current = current
        }
        if case .array(let contexts)? = root["contexts"] {
            for entry in contexts {
                guard let name = entry["name"]?.stringValue, !result.names.contains(name) else {
                    continue
                }
                result.names.append(name)
                if let namespace = entry["context"]?["namespace"]?.stringValue, !namespace.isEmpty {
                    result.namespaces[name] = namespace
                }
            }
        }
        return result
    }
}
