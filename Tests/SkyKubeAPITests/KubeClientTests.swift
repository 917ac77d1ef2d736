import Foundation
import Synchronization
import Testing

@testable import SkyKubeAPI

@Suite(
    .enabled(if: KubeTestbed.available, KubeTestbed.skipReason), .serialized,
    .timeLimit(.minutes(10)))
struct KubeClientTests {
    @Test func crudPatchesAndErrorsAgainstTheRealServer() async throws {
        let client = try await KubeTestbed.client()
        defer { _Concurrency.Task { await client.shutdown() } }
        let ns = try await KubeTestbed.namespace(client, "crud")
        defer {
            _Concurrency.Task { try? await client.delete(Namespace.self, namespace: nil, name: ns) }
        }

        let created = try await client.create(
            ConfigMap(
                metadata: ObjectMeta(
                    name: "one", namespace: ns, labels: ["app": "sky", "tier": "a"]),
                data: ["k": "v"]))
        #expect(created.metadata.uid != nil)
        _ = try await client.create(
            ConfigMap(
                metadata: ObjectMeta(
                    name: "two", namespace: ns, labels: ["app": "sky", "tier": "b"])))

        // AlreadyExists comes back as a decoded Status.
        do {
            _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: "one", namespace: ns)))
            Issue.record("a second create must fail")
        } catch let error as KubeError {
            #expect(error.code == 409)
            #expect(error.reason == "AlreadyExists")
        }
        // 422 Invalid for a bad name.
        do {
            _ = try await client.create(
                ConfigMap(metadata: ObjectMeta(name: "Bad_Name", namespace: ns)))
            Issue.record("an invalid name must fail")
        } catch let error as KubeError {
            #expect(error.code == 422)
            #expect(error.reason == "Invalid")
        }
        #expect(try await client.get(ConfigMap.self, namespace: ns, name: "missing") == nil)

        let selected = try await client.list(
            ConfigMap.self, namespace: ns, labelSelector: LabelSelector([.equals("tier", "b")]))
        #expect(selected.items.map(\.name) == ["two"])
        #expect(selected.metadata.resourceVersion != nil)
        let both = try await client.list(
            ConfigMap.self, namespace: ns, labelSelector: LabelSelector([.in("tier", ["a", "b"])]))
        #expect(Set(both.items.map(\.name)) == ["one", "two"])

        // Merge patch, JSON patch (with a failing test op), server-side apply.
        let merged = try await client.patch(
            ConfigMap.self, namespace: ns, name: "one",
            .merge(.object(["data": .object(["m": .string("1")])])))
        #expect(merged.data == ["k": "v", "m": "1"])
        let jsonPatched = try await client.patch(
            ConfigMap.self, namespace: ns, name: "one",
            .json([.remove("/data/k"), .add("/metadata/labels/sky.dev~1x", .string("y"))]))
        #expect(jsonPatched.data == ["m": "1"])
        #expect(jsonPatched.metadata.labels?["sky.dev/x"] == "y")
        do {
            try await client.patch(
                ConfigMap.self, namespace: ns, name: "one",
                .json([
                    .test("/metadata/resourceVersion", .string("1")), .add("/data/z", .string("z")),
                ]))
            Issue.record("a JSON patch whose test fails must be refused")
        } catch let error as KubeError {
            #expect(error.code != nil)
        }
        let applied: ConfigMap = try await client.patch(
            ConfigMap.self, namespace: ns, name: "three",
            .apply(
                .object([
                    "apiVersion": .string("v1"), "kind": .string("ConfigMap"),
                    "metadata": .object(["name": .string("three"), "namespace": .string(ns)]),
                    "data": .object(["a": .string("b")]),
                ]), fieldManager: "sky-test", force: false))
        #expect(applied.data == ["a": "b"])
        // A second manager changing the same field conflicts.
        do {
            try await client.patch(
                ConfigMap.self, namespace: ns, name: "three",
                .apply(
                    .object([
                        "apiVersion": .string("v1"), "kind": .string("ConfigMap"),
                        "metadata": .object(["name": .string("three"), "namespace": .string(ns)]),
                        "data": .object(["a": .string("c")]),
                    ]), fieldManager: "other", force: false))
            Issue.record("a conflicting apply must fail")
        } catch let error as KubeError {
            #expect(error.isConflict)
        }

        #expect(try await client.delete(ConfigMap.self, namespace: ns, name: "two"))
        #expect(try await client.delete(ConfigMap.self, namespace: ns, name: "two") == false)
    }

    @Test func finalizersAreAddedAndRemovedWithoutTouchingOthers() async throws {
        let client = try await KubeTestbed.client()
        defer { _Concurrency.Task { await client.shutdown() } }
        let ns = try await KubeTestbed.namespace(client, "fin")
        defer {
            _Concurrency.Task { try? await client.delete(Namespace.self, namespace: nil, name: ns) }
        }
        var meta = ObjectMeta(name: "f", namespace: ns)
        meta.finalizers = ["other.dev/keep"]
        let created = try await client.create(ConfigMap(metadata: meta))
        let added = try await client.addFinalizer(created, "sky.dev/teardown")
        #expect(added.metadata.finalizers == ["other.dev/keep", "sky.dev/teardown"])
        #expect(try await client.delete(ConfigMap.self, namespace: ns, name: "f"))
        let deleting = try #require(try await client.get(ConfigMap.self, namespace: ns, name: "f"))
        #expect(deleting.metadata.isDeleting)
        let removed = try await client.removeFinalizer(deleting, "sky.dev/teardown")
        #expect(removed?.metadata.finalizers == ["other.dev/keep"])
        let gone = try await client.removeFinalizer(try #require(removed), "other.dev/keep")
        #expect(gone?.metadata.finalizers == nil)
        #expect(try await client.get(ConfigMap.self, namespace: ns, name: "f") == nil)
    }

    @Test func bearerTokenContextAndExecPluginReachTheServer() async throws {
        let tokenClient = try await KubeTestbed.client(context: "testbed-token")
        defer { _Concurrency.Task { await tokenClient.shutdown() } }
        #expect(try await tokenClient.get(Namespace.self, namespace: nil, name: "default") != nil)

        // An exec plugin that hands out the testbed's static token.
        let dir = NSTemporaryDirectory() + "exec-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let script = dir + "/get-token"
        try """
        #!/bin/sh
        case "$KUBERNETES_EXEC_INFO" in *ExecCredential*) ;; *) echo "no exec info" >&2; exit 3;; esac
        printf '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"%s"}}' "$TOKEN"
        """.write(toFile: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
        let base = try KubeConfig.load(path: KubeTestbed.kubeconfig).credentials(
            context: "testbed-token")
        var creds = base
        creds.auth = .exec(
            KubeConfig.ExecConfig(
                apiVersion: nil, command: script, args: nil,
                env: [.init(name: "TOKEN", value: "testbed-admin-token")]))
        let execClient = try KubeClient(credentials: creds)
        defer { _Concurrency.Task { await execClient.shutdown() } }
        #expect(try await execClient.get(Namespace.self, namespace: nil, name: "default") != nil)

        // A wrong token is refused with the server's 401 Status.
        creds.auth = .bearer("wrong")
        let bad = try KubeClient(credentials: creds)
        defer { _Concurrency.Task { await bad.shutdown() } }
        do {
            _ = try await bad.get(Namespace.self, namespace: nil, name: "default")
            Issue.record("a wrong token must be refused")
        } catch let error as KubeError {
            #expect(error.code == 401)
        }
    }

    @Test func watchStreamsEventsFromAResourceVersion() async throws {
        let client = try await KubeTestbed.client()
        defer { _Concurrency.Task { await client.shutdown() } }
        let ns = try await KubeTestbed.namespace(client, "watch")
        defer {
            _Concurrency.Task { try? await client.delete(Namespace.self, namespace: nil, name: ns) }
        }
        let start = try await client.list(ConfigMap.self, namespace: ns).metadata.resourceVersion
        _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: "w1", namespace: ns)))
        try await client.patch(
            ConfigMap.self, namespace: ns, name: "w1",
            .merge(.object(["data": .object(["a": .string("1")])])))
        try await client.delete(ConfigMap.self, namespace: ns, name: "w1")
        var seen: [String] = []
        for try await event in client.watch(
            ConfigMap.self, namespace: ns, resourceVersion: start, timeoutSeconds: 5)
        {
            // The controller-manager adds kube-root-ca.crt to new namespaces: not ours.
            if event.object?.name.hasPrefix("w") == false { continue }
            switch event {
            case .added(let o): seen.append("ADDED \(o.name)")
            case .modified(let o): seen.append("MODIFIED \(o.name)")
            case .deleted(let o): seen.append("DELETED \(o.name)")
            case .bookmark: continue
            }
            if seen.count == 3 { break }
        }
        #expect(seen == ["ADDED w1", "MODIFIED w1", "DELETED w1"])
    }

    /// A resourceVersion older than the watch cache gets 410 Expired; the informer
    /// relists and carries on. The kind is a throwaway custom resource: its watch cache starts
    /// when its CRD is established (far past revision 2), whereas the ConfigMap cache of an API
    /// server started a moment ago on a fresh etcd may still reach back to revision 2 (no 410:
    /// the informer then never synced and this test waited forever in CI).
    @Test func expiredResourceVersionIsRelisted() async throws {
        let client = try await KubeTestbed.client()
        defer { _Concurrency.Task { await client.shutdown() } }
        try await KubeTestbed.ensureProbeCRD(client)
        let ns = try await KubeTestbed.namespace(client, "expire")
        defer {
            _Concurrency.Task { try? await client.delete(Namespace.self, namespace: nil, name: ns) }
        }
        let old = "2"
        _ = try await client.create(
            Probe(metadata: ObjectMeta(name: "churn", namespace: ns), data: ["i": "start"]))
        for i in 0..<3 {
            try await client.patch(
                Probe.self, namespace: ns, name: "churn",
                .merge(.object(["data": .object(["i": .string("\(i)")])])))
        }
        do {
            for try await _ in client.watch(
                Probe.self, namespace: ns, resourceVersion: old, timeoutSeconds: 5)
            {}
            Issue.record("a watch from a too old resourceVersion must end with 410")
        } catch let error as KubeError {
            #expect(error.isExpired, "\(error)")
        }

        let informer = Informer<Probe>(
            client: client, namespace: ns, watchTimeoutSeconds: 5, initialResourceVersion: old)
        let names = Mutex<Set<String>>([])
        let run = _Concurrency.Task {
            await informer.run { change in
                if case .upserted(let object) = change {
                    names.withLock { _ = $0.insert(object.name) }
                }
            }
        }
        defer { run.cancel() }
        try await KubeTestbed.until("the informer relisted", timeout: 30) { informer.hasSynced }
        #expect(informer.expiredCount == 1)
        #expect(informer.listCount == 1)
        #expect(informer.object(.init(namespace: ns, name: "churn"))?.data?["i"] == "2")
        // And it keeps watching after the relist.
        _ = try await client.create(Probe(metadata: ObjectMeta(name: "after", namespace: ns)))
        try await KubeTestbed.until("the informer saw 'after'", timeout: 30) {
            names.withLock { $0.contains("after") }
        }
        #expect(informer.object(.init(namespace: ns, name: "after")) != nil)
    }
}
