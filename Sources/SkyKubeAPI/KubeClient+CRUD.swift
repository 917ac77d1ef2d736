import Foundation
import NIOHTTP1

/// Typed get / list / create / update / patch / delete, and the status subresource.
extension KubeClient {
    /// The object, or nil when it does not exist (404).
    package func get<T: KubeResource>(_ type: T.Type, namespace: String?, name: String) async throws
        -> T?
    {
        do {
            let response = try await send(
                .GET, T.resourceType.path(namespace: namespace, name: name))
            return try decode(T.self, response.body, what: "get \(T.resourceType) \(name)")
        } catch let error as KubeError where error.isNotFound {
            return nil
        }
    }

    /// Objects of a kind (namespace nil = all namespaces), with the list's resourceVersion.
    package func list<T: KubeResource>(
        _ type: T.Type, namespace: String?, labelSelector: LabelSelector = LabelSelector(),
        fieldSelector: String? = nil
    ) async throws -> KubeList<T> {
        var query: [(String, String)] = []
        if !labelSelector.isEmpty { query.append(("labelSelector", labelSelector.description)) }
        if let fieldSelector { query.append(("fieldSelector", fieldSelector)) }
        var items: [T] = []
        var resourceVersion: String?
        var token: String?
        repeat {
            var pageQuery = query + [("limit", "500")]
            if let token { pageQuery.append(("continue", token)) }
            let response = try await send(
                .GET, T.resourceType.path(namespace: namespace), query: pageQuery)
            let page = try decode(KubeList<T>.self, response.body, what: "list \(T.resourceType)")
            items += page.items
            resourceVersion = page.metadata.resourceVersion
            token = page.metadata.continue.flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil
        return KubeList(metadata: ListMeta(resourceVersion: resourceVersion), items: items)
    }

    package func create<T: KubeResource>(_ object: T) async throws -> T {
        let path = T.resourceType.path(namespace: object.metadata.namespace)
        let response = try await send(.POST, path, body: try encode(object))
        return try decode(T.self, response.body, what: "create \(T.resourceType)")
    }

    /// PUT of the whole object; 409 Conflict when its resourceVersion is stale.
    package func update<T: KubeResource>(_ object: T) async throws -> T {
        let path = T.resourceType.path(namespace: object.metadata.namespace, name: object.name)
        let response = try await send(.PUT, path, body: try encode(object))
        return try decode(T.self, response.body, what: "update \(T.resourceType) \(object.name)")
    }

    /// PUT of the status subresource (the object's status; its spec is ignored by the server).
    package func updateStatus<T: KubeResource>(_ object: T) async throws -> T {
        let path = T.resourceType.path(
            namespace: object.metadata.namespace, name: object.name, subresource: "status")
        let response = try await send(.PUT, path, body: try encode(object))
        return try decode(
            T.self, response.body, what: "update the status of \(T.resourceType) \(object.name)")
    }

    /// PATCH (merge, JSON patch or server-side apply), on the object or a subresource.
    @discardableResult
    package func patch<T: KubeResource>(
        _ type: T.Type, namespace: String?, name: String, _ patch: KubePatch,
        subresource: String? = nil
    ) async throws -> T {
        let path = T.resourceType.path(namespace: namespace, name: name, subresource: subresource)
        let response = try await send(
            .PATCH, path, query: patch.query, body: try patch.body(), contentType: patch.contentType
        )
        return try decode(T.self, response.body, what: "patch \(T.resourceType) \(name)")
    }

    /// Merge-patches `status` through the status subresource.
    @discardableResult
    package func patchStatus<T: KubeResource, S: Encodable>(
        _ type: T.Type, namespace: String?, name: String, status: S
    ) async throws -> T {
        let body = KubeJSON.object(["status": try KubeJSON.from(status)])
        return try await patch(
            type, namespace: namespace, name: name, .merge(body), subresource: "status")
    }

    /// Writes `status` through the status subresource as a merge patch from `old` (fields
    /// that went away are cleared). No resourceVersion precondition: the status is written by
    /// its single owner (the leader).
    @discardableResult
    package func replaceStatus<T: KubeResource, S: Encodable>(
        _ type: T.Type, namespace: String?, name: String, from old: S?, to new: S
    ) async throws -> T {
        let before = try old.map { try KubeJSON.from($0) }
        let patch = KubeJSON.mergePatch(from: before, to: try KubeJSON.from(new))
        return try await self.patch(
            type, namespace: namespace, name: name, .merge(.object(["status": patch])),
            subresource: "status")
    }

    /// Deletes; returns false when it was already gone. `propagation`: Foreground,
    /// Background or Orphan.
    @discardableResult
    package func delete<T: KubeResource>(
        _ type: T.Type, namespace: String?, name: String, propagation: String? = "Background"
    ) async throws -> Bool {
        var body: Data?
        if let propagation {
            body = Data(
                #"{"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"\#(propagation)"}"#
                    .utf8)
        }
        do {
            _ = try await send(
                .DELETE, T.resourceType.path(namespace: namespace, name: name), body: body)
            return true
        } catch let error as KubeError where error.isNotFound {
            return false
        }
    }

    /// Adds `finalizer` with a JSON patch guarded by the resourceVersion (no lost update).
    package func addFinalizer<T: KubeResource>(_ object: T, _ finalizer: String) async throws -> T {
        var ops: [KubePatch.Operation] = [
            .test("/metadata/resourceVersion", .string(object.metadata.resourceVersion ?? ""))
        ]
        if object.metadata.finalizers == nil {
            ops.append(.add("/metadata/finalizers", .array([.string(finalizer)])))
        } else {
            ops.append(.add("/metadata/finalizers/-", .string(finalizer)))
        }
        return try await patch(T.self, namespace: object.namespace, name: object.name, .json(ops))
    }

    /// Removes `finalizer` (guarded by a test that the entry is still at its index, so other
    /// controllers' finalizers are never removed); nil when the object is gone.
    @discardableResult
    package func removeFinalizer<T: KubeResource>(_ object: T, _ finalizer: String) async throws
        -> T?
    {
        guard let index = object.metadata.finalizers?.firstIndex(of: finalizer) else {
            return object
        }
        let ops: [KubePatch.Operation] = [
            .test("/metadata/finalizers/\(index)", .string(finalizer)),
            .remove("/metadata/finalizers/\(index)"),
        ]
        do {
            return try await patch(
                T.self, namespace: object.namespace, name: object.name, .json(ops))
        } catch let error as KubeError where error.isNotFound {
            return nil
        }
    }

    /// Raw GET of any path (discovery, health): the body.
    package func raw(_ path: String, query: [(String, String)] = []) async throws -> Data {
        try await send(.GET, path, query: query).body
    }

    /// Raw request with a body, for kinds without a typed model (`kubectl apply -f` of a CRD).
    package func rawSend(
        method: String, path: String, query: [(String, String)] = [], body: Data?,
        contentType: String = "application/json"
    ) async throws -> Data {
        try await send(
            HTTPMethod(rawValue: method), path, query: query, body: body, contentType: contentType
        ).body
    }
}
