import Foundation

/// metav1.ObjectMeta: the fields the operator reads and writes.
package struct ObjectMeta: Codable, Sendable, Hashable {
    package var name: String?
    package var generateName: String?
    package var namespace: String?
    package var uid: String?
    package var resourceVersion: String?
    package var generation: Int?
    package var creationTimestamp: String?
    package var deletionTimestamp: String?
    package var labels: [String: String]?
    package var annotations: [String: String]?
    package var finalizers: [String]?
    package var ownerReferences: [OwnerReference]?

    package init(
        name: String? = nil, namespace: String? = nil, labels: [String: String]? = nil,
        annotations: [String: String]? = nil
    ) {
        self.name = name
        self.namespace = namespace
        self.labels = labels
        self.annotations = annotations
    }

    package var isDeleting: Bool { deletionTimestamp != nil }

    package func hasFinalizer(_ name: String) -> Bool { finalizers?.contains(name) ?? false }
}

/// metav1.OwnerReference: garbage collection of what a resource creates.
package struct OwnerReference: Codable, Sendable, Hashable {
    package var apiVersion: String
    package var kind: String
    package var name: String
    package var uid: String
    package var controller: Bool?
    package var blockOwnerDeletion: Bool?

    package init(
        apiVersion: String, kind: String, name: String, uid: String, controller: Bool? = true,
        blockOwnerDeletion: Bool? = true
    ) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.uid = uid
        self.controller = controller
        self.blockOwnerDeletion = blockOwnerDeletion
    }
}

/// metav1.ListMeta.
package struct ListMeta: Codable, Sendable, Hashable {
    package var resourceVersion: String?
    package var `continue`: String?
}
