/// The objects of the `kubernetes.ports: ingress` mode, in SkyPilot's shape
/// (`sky/templates/kubernetes-ingress.yml.j2`): one ClusterIP Service per port,
/// `<name>--skypilot-svc--<port>`, and one `networking.k8s.io/v1` Ingress
/// `<name>-skypilot-ingress` (class `nginx`) routing the path prefix
/// `/skypilot/<namespace>/<name>/<port>` of each port to its Service, with the nginx
/// annotations that strip the prefix (`use-regex`, `rewrite-target: /$2`). Every object
/// carries the cluster's labels and is owned by the head pod, so deleting the pod deletes them.
package struct KubernetesIngress: Sendable {
    /// The resource name kubectl resolves to `networking.k8s.io` ingresses.
    package static let resource = "ingresses.networking.k8s.io"
    package static let className = "nginx"
    /// Where ingress-nginx's controller Service lives (SkyPilot looks there for its address).
    package static let controllerNamespace = "ingress-nginx"
    package static let controllerService = "ingress-nginx-controller"
    package static let installHint =
        "Install the NGINX ingress controller first: "
        + "https://github.com/kubernetes/ingress-nginx/blob/main/docs/deploy/index.md"

    package var clusterNameOnCloud: String
    package var namespace: String
    /// The head pod: selector (`component`) and owner.
    package var headPod: String
    package var headUID: String
    /// `custom_metadata` labels and annotations of the config.
    package var extraLabels: [String: String] = [:]
    package var extraAnnotations: [String: String] = [:]

    package init(clusterNameOnCloud: String, namespace: String, headPod: String, headUID: String) {
        self.clusterNameOnCloud = clusterNameOnCloud
        self.namespace = namespace
        self.headPod = headPod
        self.headUID = headUID
    }

    package static func ingressName(_ clusterNameOnCloud: String) -> String {
        "\(clusterNameOnCloud)-skypilot-ingress"
    }

    package static func serviceName(_ clusterNameOnCloud: String, port: Int) -> String {
        "\(clusterNameOnCloud)--skypilot-svc--\(port)"
    }

    /// `/skypilot/<namespace>/<name>/<port>`.
    package static func pathPrefix(namespace: String, clusterNameOnCloud: String, port: Int)
        -> String
    {
        "/skypilot/\(namespace)/\(clusterNameOnCloud)/\(port)"
    }

    var labels: [String: String] {
        extraLabels.merging(KubernetesPodSpec.clusterLabels(clusterNameOnCloud)) { _, ours in ours }
    }

    var ownerReferences: [[String: Any]] {
        [["apiVersion": "v1", "kind": "Pod", "name": headPod, "uid": headUID]]
    }

    /// The Service of one port.
    package func service(port: Int) -> [String: Any] {
        [
            "apiVersion": "v1", "kind": "Service",
            "metadata": [
                "name": Self.serviceName(clusterNameOnCloud, port: port), "namespace": namespace,
                "labels": labels, "ownerReferences": ownerReferences,
            ] as [String: Any],
            "spec": [
                "type": "ClusterIP",
                "selector": ["component": headPod],
                "ports": [["port": port, "targetPort": port, "protocol": "TCP"]],
            ] as [String: Any],
        ]
    }

    /// The one Ingress routing every port.
    package func ingress(ports: [Int]) -> [String: Any] {
        let annotations = extraAnnotations.merging([
            "nginx.ingress.kubernetes.io/use-regex": "true",
            "nginx.ingress.kubernetes.io/rewrite-target": "/$2",
        ]) { _, ours in ours }
        let paths: [[String: Any]] = ports.map { port in
            [
                "path": Self.pathPrefix(
                    namespace: namespace, clusterNameOnCloud: clusterNameOnCloud, port: port)
                    + "(/|$)(.*)",
                "pathType": "ImplementationSpecific",
                "backend": [
                    "service": [
                        "name": Self.serviceName(clusterNameOnCloud, port: port),
                        "port": ["number": port],
                    ] as [String: Any]
                ],
            ]
        }
        return [
            "apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
            "metadata": [
                "name": Self.ingressName(clusterNameOnCloud), "namespace": namespace,
                "labels": labels, "annotations": annotations, "ownerReferences": ownerReferences,
            ] as [String: Any],
            "spec": [
                "ingressClassName": Self.className,
                "rules": [["http": ["paths": paths]]],
            ] as [String: Any],
        ]
    }

    /// The ports an existing Ingress routes (from its backends' port numbers).
    package static func ports(of ingress: [String: Any]?) -> [Int] {
        let rules = (ingress?["spec"] as? [String: Any])?["rules"] as? [[String: Any]] ?? []
        var out: [Int] = []
        for rule in rules {
            let paths = (rule["http"] as? [String: Any])?["paths"] as? [[String: Any]] ?? []
            for path in paths {
                let service = (path["backend"] as? [String: Any])?["service"] as? [String: Any]
                if let port = (service?["port"] as? [String: Any])?["number"] as? Int,
                    !out.contains(port)
                {
                    out.append(port)
                }
            }
        }
        return out
    }

    /// The controller's address from its Service (SkyPilot's
    /// `get_ingress_external_ip_and_ports`): the load balancer's IP / hostname; else an external
    /// IP, the `skypilot.co/external-ip` annotation or `localhost`, with the `http` node port.
    package static func controllerAddress(_ service: [String: Any]) -> String {
        let status = service["status"] as? [String: Any]
        let ingress = (status?["loadBalancer"] as? [String: Any])?["ingress"] as? [[String: Any]]
        if let first = ingress?.first,
            let host = (first["ip"] as? String) ?? (first["hostname"] as? String)
        {
            return host
        }
        let spec = service["spec"] as? [String: Any] ?? [:]
        let annotations =
            (service["metadata"] as? [String: Any])?["annotations"] as? [String: String]
        let host =
            (spec["externalIPs"] as? [String])?.first ?? annotations?["skypilot.co/external-ip"]
            ?? "localhost"
        let ports = spec["ports"] as? [[String: Any]] ?? []
        let http = ports.first { $0["name"] as? String == "http" }?["nodePort"] as? Int
        return http.map { "\(host):\($0)" } ?? host
    }
}
