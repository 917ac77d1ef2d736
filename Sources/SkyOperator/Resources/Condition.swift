import SkyKubeAPI

/// metav1.Condition.
package struct Condition: Codable, Sendable, Hashable {
    package var type: String
    /// `True`, `False` or `Unknown`.
    package var status: String
    package var reason: String
    package var message: String
    package var lastTransitionTime: String
    package var observedGeneration: Int?

    package init(
        type: String, status: Bool, reason: String, message: String, observedGeneration: Int?
    ) {
        self.type = type
        self.status = status ? "True" : "False"
        self.reason = reason
        self.message = message
        self.lastTransitionTime = KubeTime.now
        self.observedGeneration = observedGeneration
    }

    package var isTrue: Bool { status == "True" }
}

extension [Condition] {
    /// Sets a condition; `lastTransitionTime` only moves when the status changes.
    package mutating func set(_ condition: Condition) {
        if let index = firstIndex(where: { $0.type == condition.type }) {
            var updated = condition
            if self[index].status == condition.status {
                updated.lastTransitionTime = self[index].lastTransitionTime
            }
            self[index] = updated
        } else {
            append(condition)
        }
    }

    package mutating func remove(_ type: String) {
        removeAll { $0.type == type }
    }

    package func named(_ type: String) -> Condition? {
        first { $0.type == type }
    }
}

/// `envFrom: [{secretRef: {name}}]`: every key of the Secret becomes a task secret.
package struct EnvFromSource: Codable, Sendable, Hashable {
    package var secretRef: SecretReference?

    package struct SecretReference: Codable, Sendable, Hashable {
        package var name: String
        package var optional: Bool?
    }

    package init(secret: String) {
        secretRef = SecretReference(name: secret, optional: nil)
    }
}

/// The API group of the custom resources.
package enum SkyGroup {
    package static let group = "sky.dev"
    package static let version = "v1alpha1"
    package static let apiVersion = "sky.dev/v1alpha1"
    package static let finalizer = "sky.dev/teardown"
    package static let ownedByLabel = "sky.dev/owned-by"
    package static let component = "sky-operator"
}
