import Foundation

/// Where a kind lives in the REST API: `/api/v1/...` for the core group, else
/// `/apis/<group>/<version>/...`.
package struct ResourceType: Sendable, Hashable, CustomStringConvertible {
    package var group: String
    package var version: String
    package var kind: String
    package var plural: String
    package var namespaced: Bool

    package init(
        group: String, version: String, kind: String, plural: String, namespaced: Bool = true
    ) {
        self.group = group
        self.version = version
        self.kind = kind
        self.plural = plural
        self.namespaced = namespaced
    }

    package var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    package var description: String { group.isEmpty ? plural : "\(plural).\(group)" }

    /// The collection path (`namespace` nil = across all namespaces), or one object's path,
    /// or its subresource's.
    package func path(namespace: String?, name: String? = nil, subresource: String? = nil) -> String
    {
        var path = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
        if namespaced, let namespace { path += "/namespaces/\(Self.escape(namespace))" }
        path += "/\(plural)"
        if let name { path += "/\(Self.escape(name))" }
        if let subresource { path += "/\(subresource)" }
        return path
    }

    static func escape(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: .kubePathSegment) ?? segment
    }

    package static let namespaces = ResourceType(
        group: "", version: "v1", kind: "Namespace", plural: "namespaces", namespaced: false)
    package static let secrets = ResourceType(
        group: "", version: "v1", kind: "Secret", plural: "secrets")
    package static let configMaps = ResourceType(
        group: "", version: "v1", kind: "ConfigMap", plural: "configmaps")
    package static let events = ResourceType(
        group: "", version: "v1", kind: "Event", plural: "events")
    package static let leases = ResourceType(
        group: "coordination.k8s.io", version: "v1", kind: "Lease", plural: "leases")
    package static let customResourceDefinitions = ResourceType(
        group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition",
        plural: "customresourcedefinitions", namespaced: false)
}

extension CharacterSet {
    static let kubePathSegment: CharacterSet = {
        var set = CharacterSet.alphanumerics
        set.insert(charactersIn: "-._~:@")
        return set
    }()
}

/// A typed Kubernetes object.
package protocol KubeResource: Codable, Sendable {
    static var resourceType: ResourceType { get }
    var metadata: ObjectMeta { get set }
}

extension KubeResource {
    package var name: String { metadata.name ?? "" }
    package var namespace: String? { metadata.namespace }

    /// An owner reference to this object (`controller: true`).
    package func ownerReference() -> OwnerReference {
        OwnerReference(
            apiVersion: Self.resourceType.apiVersion, kind: Self.resourceType.kind, name: name,
            uid: metadata.uid ?? "")
    }
}

/// A list answer: items and the list's resourceVersion (where a watch starts).
package struct KubeList<T: KubeResource>: Codable, Sendable {
    package var metadata: ListMeta
    package var items: [T]
}
