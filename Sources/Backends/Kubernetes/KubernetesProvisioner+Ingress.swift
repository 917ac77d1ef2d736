import Foundation
import SkyCore
import SkyProvision

/// The `kubernetes.ports: ingress` mode (reference 6.1; objects in `KubernetesIngress`).
extension KubernetesProvisioner {
    /// Creates (or updates) the per-port Services and the Ingress. Refused, as SkyPilot does,
    /// when the context has no `nginx` IngressClass (no controller would serve it).
    func openIngressPorts(_ cluster: ClusterLocator, _ k: Kubectl, _ wanted: [Int])
        async throws(ProvisionError)
    {
        let name = cluster.clusterNameOnCloud
        let headName = KubernetesPodSpec.podName(name, index: 0)
        let head: [String: Any]
        do {
            let classes = try await k.checked([
                "get", "ingressclasses.networking.k8s.io", "-o", "name",
            ])
            guard
                classes.split(separator: "\n").contains(
                    "ingressclass.networking.k8s.io/\(KubernetesIngress.className)")
            else {
                throw ProvisionError.unsupported(
                    "Ingress controller not found in Kubernetes context \(k.context ?? "?") "
                        + "(no IngressClass '\(KubernetesIngress.className)'), so "
                        + "kubernetes.ports: ingress cannot expose ports. "
                        + KubernetesIngress.installHint + ".")
            }
            head = try await k.json(["get", "pod", headName])
        } catch let error as ProvisionError {
            throw error
        } catch let error as KubernetesError {
            throw Self.mapped(error, context: k.context)
        } catch {
            throw .internal("\(error)")
        }
        guard let uid = (head["metadata"] as? [String: Any])?["uid"] as? String else {
            throw .internal("Pod \(headName) has no uid.")
        }
        let existing = try? await k.json([
            "get", KubernetesIngress.resource, KubernetesIngress.ingressName(name),
        ])
        let had = KubernetesIngress.ports(of: existing)
        let all = had + wanted.filter { !had.contains($0) }
        let settings = try settings(context: k.context, providerConfig: cluster.providerConfig)
        var objects = KubernetesIngress(
            clusterNameOnCloud: name, namespace: k.namespace ?? "default", headPod: headName,
            headUID: uid)
        objects.extraLabels = settings.metadata("labels")
        objects.extraAnnotations = settings.metadata("annotations")
        let items = all.map { objects.service(port: $0) } + [objects.ingress(ports: all)]
        let list: [String: Any] = ["apiVersion": "v1", "kind": "List", "items": items]
        do {
            let data = try JSONSerialization.data(withJSONObject: list)
            _ = try await k.checked(["apply", "-f", "-", "-o", "name"], stdin: data)
        } catch let error as KubernetesError {
            throw Self.mapped(error, context: k.context)
        } catch {
            throw .internal("Cannot encode the Ingress: \(error)")
        }
    }

    /// Deletes the Ingress and the Services of `ports` (all of the cluster's when empty).
    func cleanupIngressPorts(_ cluster: ClusterLocator, _ k: Kubectl, _ ports: [Int])
        async throws(ProvisionError)
    {
        let name = cluster.clusterNameOnCloud
        var targets = ["\(KubernetesIngress.resource)/\(KubernetesIngress.ingressName(name))"]
        let existing = try? await k.json([
            "get", KubernetesIngress.resource, KubernetesIngress.ingressName(name),
        ])
        let all = Set(ports + KubernetesIngress.ports(of: existing))
        targets += all.sorted().map { "service/\(KubernetesIngress.serviceName(name, port: $0))" }
        do {
            _ = try await k.checked(["delete"] + targets + ["--ignore-not-found", "--wait=false"])
        } catch {
            throw Self.mapped(error, context: k.context)
        }
    }

    /// `http://<controller address>/skypilot/<namespace>/<name>/<port>` per port, as
    /// SkyPilot's `sky status --endpoints` prints it. Without an ingress-nginx controller
    /// Service the ports cannot be reached from outside: a sentence saying so (and which
    /// Ingress routes them) instead of a guess.
    func ingressEndpoints(_ cluster: ClusterLocator, _ k: Kubectl, _ wanted: [Int])
        async throws(ProvisionError) -> [String: [String]]
    {
        let name = cluster.clusterNameOnCloud
        let controller = try? await k.with(
            context: k.context, namespace: KubernetesIngress.controllerNamespace
        ).json(["get", "service", KubernetesIngress.controllerService])
        guard let controller else {
            throw .notFound(
                "No ingress controller address in Kubernetes context \(k.context ?? "?"): there is "
                    + "no Service \(KubernetesIngress.controllerService) in namespace "
                    + "\(KubernetesIngress.controllerNamespace). Ingress "
                    + "\(KubernetesIngress.ingressName(name)) (namespace \(k.namespace ?? "default")) "
                    + "routes the ports under /skypilot/\(k.namespace ?? "default")/\(name)/<port>. "
                    + KubernetesIngress.installHint + ".")
        }
        let address = KubernetesIngress.controllerAddress(controller)
        var result: [String: [String]] = [:]
        for port in wanted {
            let path = KubernetesIngress.pathPrefix(
                namespace: k.namespace ?? "default", clusterNameOnCloud: name, port: port)
            result[String(port)] = ["http://\(address)\(path)"]
        }
        return result
    }
}
