import SkyKubeAPI

/// The key of a namespaced object.
package struct ObjectKey: Hashable, Sendable, CustomStringConvertible {
    package var namespace: String
    package var name: String

    package init(namespace: String, name: String) {
        self.namespace = namespace
        self.name = name
    }

    package init<T: KubeResource>(_ object: T) {
        namespace = object.metadata.namespace ?? ""
        name = object.metadata.name ?? ""
    }

    package var description: String { "\(namespace)/\(name)" }
}

/// What a reconcile asks for next.
package enum ReconcileResult: Sendable, Equatable {
    /// Converged: nothing until the next change or resync.
    case done
    /// Look again after this delay (polling long work).
    case requeue(after: Duration)
    /// Waiting on something outside the operator (a missing Secret): look again after the
    /// key's growing backoff, without counting it as a failed reconcile.
    case backoff
}

/// A reconciler (STYLE.md "Operator shape"): reads current state, never trusts the event that
/// woke it, idempotent. A thrown error requeues the key with backoff.
package protocol Reconciler: Sendable {
    /// The kind, for logs and metrics.
    var kind: String { get }
    func reconcile(_ key: ObjectKey) async throws -> ReconcileResult
}
