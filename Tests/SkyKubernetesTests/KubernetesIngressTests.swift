import Foundation
import SkyCore
import SkyKubernetes
import SkyProvision
import Testing

/// `kubernetes.ports: ingress`: the objects' shape (unit), and their creation, endpoints and
/// removal through the testbed's real API server (it has no ingress controller, so only the
/// objects are checked, and the endpoint answer without / with a controller Service).
@Suite struct KubernetesIngressShapeTests {
    @Test func ingressAndServicesFollowSkyPilotsTemplate() throws {
        var objects = KubernetesIngress(
            clusterNameOnCloud: "c-1a2b", namespace: "team", headPod: "c-1a2b-head",
            headUID: "uid-1")
        objects.extraLabels = ["cost-center": "42", "parent": "not-this"]
        objects.extraAnnotations = ["example.com/a": "b"]
        let ingress = objects.ingress(ports: [8080, 9000])
        #expect(ingress["apiVersion"] as? String == "networking.k8s.io/v1")
        let metadata = try #require(ingress["metadata"] as? [String: Any])
        #expect(metadata["name"] as? String == "c-1a2b-skypilot-ingress")
        let labels = try #require(metadata["labels"] as? [String: String])
        #expect(labels["parent"] == "skypilot")
        #expect(labels["sky.dev/cluster"] == "c-1a2b")
        #expect(labels["cost-center"] == "42")
        let annotations = try #require(metadata["annotations"] as? [String: String])
        #expect(annotations["nginx.ingress.kubernetes.io/use-regex"] == "true")
        #expect(annotations["nginx.ingress.kubernetes.io/rewrite-target"] == "/$2")
        #expect(annotations["example.com/a"] == "b")
        let owner = try #require((metadata["ownerReferences"] as? [[String: Any]])?.first)
        #expect(owner["kind"] as? String == "Pod")
        #expect(owner["uid"] as? String == "uid-1")
        let spec = try #require(ingress["spec"] as? [String: Any])
        #expect(spec["ingressClassName"] as? String == "nginx")
        let paths = try #require(
            ((spec["rules"] as? [[String: Any]])?.first?["http"] as? [String: Any])?["paths"]
                as? [[String: Any]])
        #expect(
            paths.map { $0["path"] as? String } == [
                "/skypilot/team/c-1a2b/8080(/|$)(.*)", "/skypilot/team/c-1a2b/9000(/|$)(.*)",
            ])
        #expect(paths.allSatisfy { $0["pathType"] as? String == "ImplementationSpecific" })
        #expect(KubernetesIngress.ports(of: ingress) == [8080, 9000])

        let service = objects.service(port: 8080)
        let serviceMeta = try #require(service["metadata"] as? [String: Any])
        #expect(serviceMeta["name"] as? String == "c-1a2b--skypilot-svc--8080")
        let serviceSpec = try #require(service["spec"] as? [String: Any])
        #expect(serviceSpec["type"] as? String == "ClusterIP")
        #expect(serviceSpec["selector"] as? [String: String] == ["component": "c-1a2b-head"])
    }

    @Test func controllerAddressOrder() {
        let lb: [String: Any] = ["status": ["loadBalancer": ["ingress": [["ip": "203.0.113.9"]]]]]
        #expect(KubernetesIngress.controllerAddress(lb) == "203.0.113.9")
        let nodePort: [String: Any] = [
            "metadata": ["annotations": ["skypilot.co/external-ip": "10.1.2.3"]],
            "spec": [
                "ports": [
                    ["name": "http", "nodePort": 30080], ["name": "https", "nodePort": 30443],
                ]
            ],
        ]
        #expect(KubernetesIngress.controllerAddress(nodePort) == "10.1.2.3:30080")
        #expect(KubernetesIngress.controllerAddress(["spec": [:] as [String: Any]]) == "localhost")
    }
}

@Suite(
    .serialized,
    .enabled(
        if: KubernetesTestbed.available,
        "Kubernetes testbed with a real node not configured (TESTBED_K8S_KUBELET=1 k8s.sh up; eval its env)"
    ))
struct KubernetesIngressTestbedTests {
    let provisioner = KubernetesProvisioner(environment: KubernetesTestbed.environment)
    let kubectl = Kubectl(environment: KubernetesTestbed.environment)

    func objects(_ kinds: String, _ cluster: String) async throws -> [[String: Any]] {
        try await kubectl.items(["get", kinds, "-l", "sky.dev/cluster=\(cluster)"])
    }

    @Test func ingressModeCreatesOwnedObjectsReportsEndpointsAndDownRemovesThem() async throws {
        let name = KubernetesTestbed.clusterName("ing")
        let taskConfig = JSONValue.object([
            (
                "kubernetes",
                .object([
                    ("ports", .string("ingress")),
                    (
                        "custom_metadata",
                        .object([("labels", .object([("cost-center", .string("42"))]))])
                    ),
                ])
            )
        ])
        var cfg = ProvisionConfig(
            clusterName: name, clusterNameOnCloud: name, region: "",
            offering: Offering(
                cloud: "kubernetes", region: "testbed", instanceType: "test", cpus: 0.25,
                memoryGB: 0.25, price: 0),
            count: 1, ports: ["8080", "9000"])
        cfg.providerConfig = try provisioner.providerConfig(
            resources: Resources(), taskConfig: taskConfig)
        let locator = ClusterLocator(cfg)
        _ = try await provisioner.runInstances(cfg)
        do {
            try await provisioner.waitInstances(locator, state: .up)
            // SkyPilot refuses the mode when no `nginx` IngressClass exists.
            let classes = try await kubectl.checked([
                "get", "ingressclasses.networking.k8s.io", "-o", "name",
            ])
            if !classes.contains("ingressclass.networking.k8s.io/nginx") {
                await #expect(throws: ProvisionError.self) {
                    try await provisioner.openPorts(locator, ports: ["8080"])
                }
                let ingressClass: [String: Any] = [
                    "apiVersion": "networking.k8s.io/v1", "kind": "IngressClass",
                    "metadata": ["name": "nginx"], "spec": ["controller": "k8s.io/ingress-nginx"],
                ]
                _ = try await kubectl.checked(
                    ["apply", "-f", "-"],
                    stdin: try JSONSerialization.data(withJSONObject: ingressClass))
            }
            try await provisioner.openPorts(locator, ports: ["8080"])
            try await provisioner.openPorts(locator, ports: ["9000"])  // adds, keeps 8080

            let head = try await kubectl.json(["get", "pod", "\(name)-head"])
            let headUID = try #require((head["metadata"] as? [String: Any])?["uid"] as? String)
            let ingresses = try await objects(KubernetesIngress.resource, name)
            #expect(ingresses.count == 1)
            let ingress = try #require(ingresses.first)
            let metadata = try #require(ingress["metadata"] as? [String: Any])
            #expect(metadata["name"] as? String == "\(name)-skypilot-ingress")
            let labels = metadata["labels"] as? [String: String] ?? [:]
            #expect(labels["skypilot-cluster-name"] == name)
            #expect(labels["cost-center"] == "42")
            let owner = (metadata["ownerReferences"] as? [[String: Any]])?.first
            #expect(owner?["uid"] as? String == headUID)
            let annotations = metadata["annotations"] as? [String: String] ?? [:]
            #expect(annotations["nginx.ingress.kubernetes.io/rewrite-target"] == "/$2")
            let spec = try #require(ingress["spec"] as? [String: Any])
            #expect(spec["ingressClassName"] as? String == "nginx")
            let paths =
                ((spec["rules"] as? [[String: Any]])?.first?["http"] as? [String: Any])?["paths"]
                as? [[String: Any]] ?? []
            #expect(
                paths.compactMap { $0["path"] as? String } == [
                    "/skypilot/default/\(name)/8080(/|$)(.*)",
                    "/skypilot/default/\(name)/9000(/|$)(.*)",
                ])
            let backends = paths.compactMap {
                (($0["backend"] as? [String: Any])?["service"] as? [String: Any])?["name"]
                    as? String
            }
            #expect(backends == ["\(name)--skypilot-svc--8080", "\(name)--skypilot-svc--9000"])

            let services = try await objects("services", name)
            #expect(
                Set(services.compactMap { ($0["metadata"] as? [String: Any])?["name"] as? String })
                    == ["\(name)--skypilot-svc--8080", "\(name)--skypilot-svc--9000"])
            for service in services {
                let spec = service["spec"] as? [String: Any]
                #expect(spec?["type"] as? String == "ClusterIP")
                #expect(spec?["selector"] as? [String: String] == ["component": "\(name)-head"])
                let owner =
                    ((service["metadata"] as? [String: Any])?["ownerReferences"] as? [[String: Any]])?
                    .first
                #expect(owner?["uid"] as? String == headUID)
            }

            // No controller Service: a clear message rather than an endpoint.
            let controllerNamespace = KubernetesIngress.controllerNamespace
            let hasController =
                (try? await kubectl.with(context: nil, namespace: controllerNamespace)
                    .json(["get", "service", KubernetesIngress.controllerService])) != nil
            if !hasController {
                do throws(ProvisionError) {
                    _ = try await provisioner.queryPorts(locator, ports: ["8080"], headIP: nil)
                    Issue.record("an endpoint without an ingress controller")
                } catch {
                    #expect(
                        error.message.contains(
                            "no Service ingress-nginx-controller in namespace ingress-nginx"))
                    #expect(error.message.contains("/skypilot/default/\(name)/<port>"))
                }
                // A controller Service (as ingress-nginx installs it, NodePort): its address.
                _ = try? await kubectl.checked(["create", "namespace", controllerNamespace])
                let controller: [String: Any] = [
                    "apiVersion": "v1", "kind": "Service",
                    "metadata": [
                        "name": KubernetesIngress.controllerService,
                        "namespace": controllerNamespace,
                        "annotations": ["skypilot.co/external-ip": "10.78.0.1"],
                    ] as [String: Any],
                    "spec": [
                        "type": "NodePort", "selector": ["app": "none"],
                        "ports": [
                            ["name": "http", "port": 80, "targetPort": 80],
                            ["name": "https", "port": 443, "targetPort": 443],
                        ],
                    ] as [String: Any],
                ]
                _ = try await kubectl.checked(
                    ["apply", "-f", "-"],
                    stdin: try JSONSerialization.data(withJSONObject: controller))
            }
            let created = try await kubectl.with(context: nil, namespace: controllerNamespace)
                .json(["get", "service", KubernetesIngress.controllerService])
            let address = KubernetesIngress.controllerAddress(created)
            let endpoints = try await provisioner.queryPorts(
                locator, ports: ["8080", "9000"], headIP: nil)
            #expect(endpoints["8080"] == ["http://\(address)/skypilot/default/\(name)/8080"])
            #expect(endpoints["9000"] == ["http://\(address)/skypilot/default/\(name)/9000"])
            if !hasController {
                _ = try? await kubectl.with(context: nil, namespace: controllerNamespace).checked([
                    "delete", "service", KubernetesIngress.controllerService, "--wait=false",
                ])
            }
        } catch {
            try? await provisioner.terminateInstances(locator, workerOnly: false)
            throw error
        }
        try await provisioner.terminateInstances(locator, workerOnly: false)
        #expect(try await objects("pods", name).isEmpty)
        #expect(try await objects("services", name).isEmpty)
        #expect(try await objects(KubernetesIngress.resource, name).isEmpty)
    }
}
