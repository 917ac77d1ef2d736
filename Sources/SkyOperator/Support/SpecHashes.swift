import Synchronization

/// The launch-relevant hash of each SkyCluster's `spec.task`, kept per object and generation
/// (the spec only changes with the generation): an idle reconcile does not re-encode it.
final class SpecHashes: Sendable {
    private let hashes = Mutex<[String: (generation: Int?, hash: String)]>([:])

    func hash(uid: String?, generation: Int?, compute: () -> String) -> String {
        guard let uid else { return compute() }
        if let known = hashes.withLock({ $0[uid] }), known.generation == generation {
            return known.hash
        }
        let hash = compute()
        hashes.withLock { $0[uid] = (generation, hash) }
        return hash
    }

    func forget(uid: String?) {
        guard let uid else { return }
        _ = hashes.withLock { $0.removeValue(forKey: uid) }
    }
}
