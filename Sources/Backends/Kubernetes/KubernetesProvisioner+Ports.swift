import Foundation
import SkyCore
import SkyProvision

/// Opened ports (`resources.ports`) per the `kubernetes.ports` mode (reference 6.1):
/// `loadbalancer` (default) and `nodeport` make one Service `<name>-ports` selecting the head
/// pod (`component: <name>-head`), owned by the head pod so deleting the pod deletes it, with
/// the `kubernetes.custom_metadata` labels and annotations (load balancer settings);
/// `ingress` makes an Ingress with a ClusterIP Service per port (`KubernetesIngress`);
/// `podip` makes nothing and the endpoints are the head pod's IP.
extension KubernetesProvisioner {
    package static func serviceName(_ clusterNameOnCloud: String) -> String {
        "\(clusterNameOnCloud)-ports"
    }

    /// `8080` and `10000-10002` → the port numbers (a range of at most 1000).
    package static func expand(_ specs: [String]) throws(ProvisionError) -> [Int] {
        var out: [Int] = []
        for spec in specs {
            let parts = spec.split(separator: "-").map {
                Int($0.trimmingCharacters(in: .whitespaces))
            }
            guard let low = parts.first ?? nil, let high = parts.last ?? nil, parts.count <= 2,
                (1...65535).contains(low), (low...65535).contains(high), high - low < 1000
            else {
                throw .invalidConfig("Invalid port '\(spec)': use N or N-M (1-65535).")
            }
            for port in low...high where !out.contains(port) { out.append(port) }
        }
        return out
    }

    /// The cluster's `kubernetes.ports` mode in its context.
    func portMode(_ cluster: ClusterLocator, _ k: Kubectl) throws(ProvisionError) -> String {
        try settings(context: k.context, providerConfig: cluster.providerConfig).portMode
    }

    package func openPorts(_ cluster: ClusterLocator, ports: [String]) async throws(ProvisionError)
    {
        let wanted = try Self.expand(ports)
        guard !wanted.isEmpty else { return }
        let k = try await kubectl(for: cluster)
        let mode = try portMode(cluster, k)
        if mode == "podip" { return }
        if mode == "ingress" { return try await openIngressPorts(cluster, k, wanted) }
        let headName = KubernetesPodSpec.podName(cluster.clusterNameOnCloud, index: 0)
        let head: [String: Any]
        let existing: [String: Any]?
        do {
            head = try await k.json(["get", "pod", headName])
            existing = try? await k.json([
                "get", "service", Self.serviceName(cluster.clusterNameOnCloud),
            ])
        } catch {
            throw Self.mapped(error, context: k.context)
        }
        guard let uid = (head["metadata"] as? [String: Any])?["uid"] as? String else {
            throw .internal("Pod \(headName) has no uid.")
        }
        let had = ((existing?["spec"] as? [String: Any])?["ports"] as? [[String: Any]] ?? [])
            .compactMap { $0["port"] as? Int }
        let all = had + wanted.filter { !had.contains($0) }
        let custom = try settings(context: k.context, providerConfig: cluster.providerConfig)
        let labels = custom.metadata("labels").merging(
            KubernetesPodSpec.clusterLabels(cluster.clusterNameOnCloud)
        ) { _, ours in ours }
        let service: [String: Any] = [
            "apiVersion": "v1", "kind": "Service",
            "metadata": [
                "name": Self.serviceName(cluster.clusterNameOnCloud), "labels": labels,
                "annotations": custom.metadata("annotations"),
                "ownerReferences": [
                    ["apiVersion": "v1", "kind": "Pod", "name": headName, "uid": uid]
                ],
            ] as [String: Any],
            "spec": [
                "type": mode == "nodeport" ? "NodePort" : "LoadBalancer",
                "selector": ["component": headName],
                "ports": all.map {
                    ["name": "port-\($0)", "port": $0, "targetPort": $0, "protocol": "TCP"]
                },
            ] as [String: Any],
        ]
        do {
            let data = try JSONSerialization.data(withJSONObject: service)
            _ = try await k.checked(["apply", "-f", "-", "-o", "name"], stdin: data)
        } catch let error as KubernetesError {
            throw Self.mapped(error, context: k.context)
        } catch {
            throw .internal("Cannot encode the Service: \(error)")
        }
    }

    package func cleanupPorts(_ cluster: ClusterLocator, ports: [String])
        async throws(ProvisionError)
    {
        let k = try await kubectl(for: cluster)
        if try portMode(cluster, k) == "ingress" {
            return try await cleanupIngressPorts(cluster, k, try Self.expand(ports))
        }
        do {
            _ = try await k.checked([
                "delete", "service", Self.serviceName(cluster.clusterNameOnCloud),
                "--ignore-not-found", "--wait=false",
            ])
        } catch {
            throw Self.mapped(error, context: k.context)
        }
    }

    /// Load balancer ingress when the cluster gave one, else `<node IP>:<nodePort>` of the
    /// head's node; `podip` mode (or no Service): `<head pod IP>:<port>`.
    package func queryPorts(_ cluster: ClusterLocator, ports: [String], headIP: String?)
        async throws(ProvisionError) -> [String: [String]]
    {
        let wanted = try Self.expand(ports)
        var result: [String: [String]] = [:]
        let k = try await kubectl(for: cluster)
        let mode = try portMode(cluster, k)
        if mode == "ingress" { return try await ingressEndpoints(cluster, k, wanted) }
        let service =
            mode == "podip"
            ? nil
            : try? await k.json(["get", "service", Self.serviceName(cluster.clusterNameOnCloud)])
        let ingress =
            ((service?["status"] as? [String: Any])?["loadBalancer"] as? [String: Any])?["ingress"]
            as? [[String: Any]] ?? []
        let address = ingress.first.flatMap { ($0["ip"] as? String) ?? ($0["hostname"] as? String) }
        let servicePorts = (service?["spec"] as? [String: Any])?["ports"] as? [[String: Any]] ?? []
        var nodeIP: String?
        if address == nil, service != nil {
            let head = try? await k.json([
                "get", "pod", KubernetesPodSpec.podName(cluster.clusterNameOnCloud, index: 0),
            ])
            nodeIP = (head?["status"] as? [String: Any])?["hostIP"] as? String
        }
        for port in wanted {
            let entry = servicePorts.first { $0["port"] as? Int == port }
            if let address, entry != nil {
                result[String(port)] = ["\(address):\(port)"]
            } else if let nodeIP, let nodePort = entry?["nodePort"] as? Int {
                result[String(port)] = ["\(nodeIP):\(nodePort)"]
            } else if let headIP {
                result[String(port)] = ["\(headIP):\(port)"]
            }
        }
        return result
    }
}
