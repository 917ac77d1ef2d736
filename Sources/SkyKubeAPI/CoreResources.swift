import Foundation

/// coordination.k8s.io/v1 Lease (leader election).
package struct Lease: KubeResource, Hashable {
    package static let resourceType = ResourceType.leases
    package var apiVersion: String? = "coordination.k8s.io/v1"
    package var kind: String? = "Lease"
    package var metadata: ObjectMeta
    package var spec: Spec

    package struct Spec: Codable, Sendable, Hashable {
        package var holderIdentity: String?
        package var leaseDurationSeconds: Int?
        /// MicroTime (`KubeTime.micro`).
        package var acquireTime: String?
        package var renewTime: String?
        package var leaseTransitions: Int?
        package init() {}
    }

    package init(metadata: ObjectMeta, spec: Spec = Spec()) {
        self.metadata = metadata
        self.spec = spec
    }
}

/// core/v1 Secret (only read by the operator: `envFrom` secret references).
package struct Secret: KubeResource {
    package static let resourceType = ResourceType.secrets
    package var apiVersion: String? = "v1"
    package var kind: String? = "Secret"
    package var metadata: ObjectMeta
    /// Base64 values.
    package var data: [String: String]?
    package var stringData: [String: String]?
    package var type: String?

    package init(metadata: ObjectMeta, stringData: [String: String]) {
        self.metadata = metadata
        self.stringData = stringData
    }

    /// Decoded values.
    package var values: [String: String] {
        var out: [String: String] = [:]
        for (key, value) in data ?? [:] {
            if let bytes = Data(base64Encoded: value) {
                out[key] = String(decoding: bytes, as: UTF8.self)
            }
        }
        for (key, value) in stringData ?? [:] { out[key] = value }
        return out
    }
}

/// core/v1 Namespace.
package struct Namespace: KubeResource {
    package static let resourceType = ResourceType.namespaces
    package var apiVersion: String? = "v1"
    package var kind: String? = "Namespace"
    package var metadata: ObjectMeta
    package init(name: String) { metadata = ObjectMeta(name: name) }
}

/// core/v1 Event, recorded on a resource (`kubectl describe` shows them).
package struct KubeEvent: KubeResource {
    package static let resourceType = ResourceType.events
    package var apiVersion: String? = "v1"
    package var kind: String? = "Event"
    package var metadata: ObjectMeta
    package var involvedObject: ObjectReference
    package var reason: String?
    package var message: String?
    /// `Normal` or `Warning`.
    package var type: String?
    package var source: Source?
    package var firstTimestamp: String?
    package var lastTimestamp: String?
    package var count: Int?
    package var reportingComponent: String?
    package var reportingInstance: String?

    package struct Source: Codable, Sendable, Hashable {
        package var component: String?
        package var host: String?
    }

    package struct ObjectReference: Codable, Sendable, Hashable {
        package var apiVersion: String?
        package var kind: String?
        package var name: String?
        package var namespace: String?
        package var uid: String?
        package var resourceVersion: String?
    }

    /// A new event about `object`.
    package init<T: KubeResource>(
        about object: T, type: String, reason: String, message: String, component: String,
        instance: String
    ) {
        let now = KubeTime.now
        metadata = ObjectMeta(name: nil, namespace: object.metadata.namespace ?? "default")
        metadata.generateName = "\(object.name)."
        involvedObject = ObjectReference(
            apiVersion: T.resourceType.apiVersion, kind: T.resourceType.kind, name: object.name,
            namespace: object.metadata.namespace, uid: object.metadata.uid,
            resourceVersion: object.metadata.resourceVersion)
        self.type = type
        self.reason = reason
        self.message = message
        source = Source(component: component, host: nil)
        firstTimestamp = now
        lastTimestamp = now
        count = 1
        reportingComponent = component
        reportingInstance = instance
    }
}

extension KubeTime {
    /// metav1.MicroTime: RFC 3339 with exactly six fraction digits, UTC.
    package static func micro(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        let whole = seconds.rounded(.down)
        let micros = Int(((seconds - whole) * 1_000_000).rounded(.down))
        var text = format(Date(timeIntervalSince1970: whole))
        text.removeLast()  // Z
        let digits = String(micros)
        return text + "." + String(repeating: "0", count: max(0, 6 - digits.count)) + digits + "Z"
    }
}

/// core/v1 ConfigMap.
package struct ConfigMap: KubeResource, Hashable {
    package static let resourceType = ResourceType.configMaps
    package var apiVersion: String? = "v1"
    package var kind: String? = "ConfigMap"
    package var metadata: ObjectMeta
    package var data: [String: String]?

    package init(metadata: ObjectMeta, data: [String: String]? = nil) {
        self.metadata = metadata
        self.data = data
    }
}
