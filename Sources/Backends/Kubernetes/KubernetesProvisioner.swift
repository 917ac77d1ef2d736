import Foundation
import SkyCore
import SkyProvision
import SkyRuntime

/// The `kubernetes` backend (reference 6.1): a cluster's nodes are labelled pods, head
/// `<name_on_cloud>-head` and workers `<name_on_cloud>-worker<i>`. The kubeconfig context is
/// the region (default: the current context; `kubernetes.allowed_contexts` lists others), the
/// namespace follows reference 6.1 (`namespace(context:providerConfig:)`).
///
/// Transport: the `kubectl` binary with JSON output (see `Kubectl`), not an in-process API
/// client. Commands run in the pods through `kubectl exec` (`KubectlExecRunner`).
///
/// `providerConfig` keys read (see `providerConfig(resources:taskConfig:)`): `image_id`
/// (`docker:<image>`), `config` (the launch's merged config, JSON), and explicit overrides of
/// it: `pod_config` (JSON, merged into each pod), `namespace`, `provision_timeout` (seconds,
/// -1 = none), `ports` (mode); see `KubernetesSettings`. Without `image_id` the image is
/// `$SKY_K8S_DEFAULT_IMAGE`, else `KubernetesProvisioner.fallbackImage`.
///
/// Inside the cluster the head's skylet reaches the workers over ssh to their pod IPs: sshd is
/// started in each pod by exec and the pods' host keys, read by exec, go to a known_hosts
/// file per cluster (`stateDirectory/known_hosts/<name>`, `ClusterInfo.providerConfig
/// ["knownHostsFile"]`), so the engine's `.ssh` node endpoints work unchanged.
package struct KubernetesProvisioner: Provisioner, CommandRunnerProvider {
    package static let backendName = "kubernetes"
    package static let fallbackImage = "ubuntu:22.04"

    package let environment: [String: String]
    /// Where per-cluster files live (the pods' host keys); nil = none are written.
    package let stateDirectory: String?
    /// `kubernetes.allowed_contexts` given by the caller; nil = from the config (else the
    /// current context only).
    package let allowedContexts: [String]?
    /// The user + project config (`~/.sky/config.yaml`, `.sky.yaml`), asked for on first
    /// need (for the contexts, and for the namespace etc. of calls without a cluster's own
    /// recorded config), so constructing the provisioner reads no file.
    package let configSource: @Sendable () throws(SkyConfigError) -> SkyConfig

    /// Cheap: no kubectl call and no file access (the engine constructs it on every command).
    package init(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        stateDirectory: String? = nil, allowedContexts: [String]? = nil,
        configSource: @escaping @Sendable () throws(SkyConfigError) -> SkyConfig = { .empty }
    ) {
        self.environment = environment
        self.stateDirectory = stateDirectory
        self.allowedContexts = allowedContexts
        self.configSource = configSource
    }

    /// Whether a kubeconfig exists (`$KUBECONFIG`'s files, else `~/.kube/config`): one
    /// stat per file, no kubectl call.
    package static func kubeconfigExists(environment: [String: String]) -> Bool {
        if let paths = environment["KUBECONFIG"], !paths.isEmpty {
            return paths.split(separator: ":").contains {
                FileManager.default.fileExists(atPath: String($0))
            }
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return FileManager.default.fileExists(atPath: home + "/.kube/config")
    }

    package var name: String { Self.backendName }
    package var maxClusterNameLength: Int { 42 }
    package var capabilities: Set<ProvisionCapability> { [.multiNode, .customImage, .ports] }
    package var offersLiveInventory: Bool { true }

    // MARK: Context and namespace

    package func kubectl(context: String?, namespace: String? = nil) -> Kubectl {
        Kubectl(context: context, namespace: namespace, environment: environment)
    }

    /// The kubeconfig's current context, or nil when there is none.
    package func currentContext() async -> String? {
        if let contexts = KubeconfigContexts.load(environment: environment) {
            return contexts.current
        }
        guard let out = try? await kubectl(context: nil).checked(["config", "current-context"])
        else { return nil }
        let name = out.trimmingCharacters(in: .whitespacesAndNewlines)
        return name.isEmpty ? nil : name
    }

    /// The context of a region (`""`, `kubernetes`, `k8s` = the current one).
    package func context(region: String) async throws(ProvisionError) -> String {
        if !region.isEmpty, region != "kubernetes", region != "k8s" { return region }
        guard let current = await currentContext() else {
            throw .credentials(
                "No current Kubernetes context: set one with 'kubectl config use-context' "
                    + "or point $KUBECONFIG at a kubeconfig.")
        }
        return current
    }

    /// The layered config behind a cluster's calls: the launch's merged config recorded in
    /// `providerConfig["config"]`, else the backend's own user + project config.
    package func skyConfig(_ providerConfig: [String: String]) throws(ProvisionError) -> SkyConfig {
        if let text = providerConfig["config"], !text.isEmpty {
            guard let json = try? JSONValue.parse(Data(text.utf8)) else {
                throw .internal("The cluster's recorded Kubernetes config is not JSON.")
            }
            return SkyConfig(value: json, source: "the cluster's recorded config")
        }
        do {
            return try configSource()
        } catch {
            throw .invalidConfig(error.description)
        }
    }

    /// The settings in effect in `context` (see `KubernetesSettings`).
    package func settings(context: String?, providerConfig: [String: String])
        throws(ProvisionError) -> KubernetesSettings
    {
        KubernetesSettings(
            providerConfig: providerConfig, config: try skyConfig(providerConfig), context: context)
    }

    /// Reference 6.1: `providerConfig["namespace"]` (recorded once the cluster runs), else
    /// `kubernetes.context_configs.<context>.namespace`, else `kubernetes.namespace` (each
    /// from the active workspace's section first), else the kubeconfig context's namespace,
    /// else `default`.
    package func namespace(context: String, providerConfig: [String: String])
        async throws(ProvisionError) -> String
    {
        if let ns = try settings(context: context, providerConfig: providerConfig).namespace,
            !ns.isEmpty
        {
            return ns
        }
        if let contexts = KubeconfigContexts.load(environment: environment),
            contexts.names.contains(context)
        {
            return contexts.namespaces[context] ?? "default"
        }
        let out = try? await kubectl(context: context).checked([
            "config", "view", "--minify", "-o", "jsonpath={.contexts[0].context.namespace}",
        ])
        let ns = (out ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        return ns.isEmpty ? "default" : ns
    }

    /// kubectl bound to the cluster's context and namespace.
    package func kubectl(for cluster: ClusterLocator) async throws(ProvisionError) -> Kubectl {
        let context = try await context(region: cluster.providerConfig["context"] ?? cluster.region)
        let ns = try await namespace(context: context, providerConfig: cluster.providerConfig)
        return kubectl(context: context, namespace: ns)
    }

    // MARK: Provisioner

    package func offerings(for resources: Resources) async throws -> [Offering] {
        if let cloud = resources.cloud?.lowercased(), cloud != name, cloud != "k8s" { return [] }
        // Each context is a region: the one asked for, else every allowed context.
        var contexts = [String]()
        if let region = resources.region {
            contexts = [region]
        } else {
            contexts = try await contextsToCheck()
        }
        var out: [Offering] = []
        for context in contexts {
            out += try await KubernetesInventory(kubectl: kubectl(context: context))
                .offerings(for: resources, region: context)
        }
        return out
    }

    package func runInstances(_ config: ProvisionConfig) async throws(ProvisionError)
        -> ProvisionRecord
    {
        let locator = ClusterLocator(config)
        let k = try await kubectl(for: locator)
        let existing = try await pods(
            k, selector: KubernetesPodSpec.selector(config.clusterNameOnCloud)
        )
        .filter { !$0.deleting }
        let names = Set(existing.map(\.name))
        let settings = try settings(context: k.context, providerConfig: config.providerConfig)
        // `kubernetes.custom_metadata` labels under the task's own labels.
        let labels = settings.metadata("labels").merging(config.tags) { _, task in task }
        var spec = KubernetesPodSpec(
            clusterName: config.clusterName, clusterNameOnCloud: config.clusterNameOnCloud,
            user: config.tags["skypilot-user"] ?? environment["USER"] ?? "sky",
            image: image(config.providerConfig), cpus: max(config.offering.cpus, 0.1),
            memoryGB: max(config.offering.memoryGB, 0.1),
            gpus: Int(config.offering.acceleratorCount.rounded(.up)), affinity: nil,
            userLabels: Self.validLabels(labels))
        spec.extraAnnotations = settings.metadata("annotations")
        if spec.gpus > 0, let accelerator = config.offering.acceleratorName {
            let placement = try await gpuPlacement(k, accelerator: accelerator)
            spec.affinity = placement.affinity
            spec.gpuResource = placement.resource
        }
        let podConfig = try Self.podConfig(settings)
        var manifests: [[String: Any]] = []
        var created: [String] = []
        for index in 0..<max(config.count, 1) {
            let podName = KubernetesPodSpec.podName(config.clusterNameOnCloud, index: index)
            if names.contains(podName) { continue }
            let manifest = spec.manifest(index: index)
            manifests.append(
                podConfig.map { KubernetesPodConfig.merge(manifest, with: $0) } ?? manifest)
            created.append(podName)
        }
        if !manifests.isEmpty {
            let list: [String: Any] = ["apiVersion": "v1", "kind": "List", "items": manifests]
            let data: Data
            do { data = try JSONSerialization.data(withJSONObject: list) } catch {
                throw .internal("Cannot encode the pod manifests: \(error)")
            }
            do {
                _ = try await k.checked(["create", "-f", "-", "-o", "name"], stdin: data)
            } catch {
                throw Self.mapped(error, context: k.context)
            }
        }
        return ProvisionRecord(
            provider: name, region: k.context ?? config.region, clusterName: config.clusterName,
            headInstanceID: KubernetesPodSpec.podName(config.clusterNameOnCloud, index: 0),
            createdInstanceIDs: created)
    }

    package func queryInstances(_ cluster: ClusterLocator) async throws(ProvisionError)
        -> [InstanceState]
    {
        let k = try await kubectl(for: cluster)
        return try await pods(k, selector: KubernetesPodSpec.selector(cluster.clusterNameOnCloud))
            .map { pod in
                InstanceState(
                    instanceID: pod.name, status: pod.instanceStatus,
                    reason: pod.schedulerMessage ?? pod.waitingReason)
            }
    }

    package func clusterInfo(_ cluster: ClusterLocator) async throws(ProvisionError)
        -> ClusterInfo
    {
        let k = try await kubectl(for: cluster)
        let live = try await pods(
            k, selector: KubernetesPodSpec.selector(cluster.clusterNameOnCloud)
        )
        .filter { !$0.deleting }.sorted { $0.index < $1.index }
        guard let head = live.first(where: \.isHead) else {
            throw .notFound(
                "Kubernetes cluster '\(cluster.clusterName)' has no head pod in context "
                    + "\(k.context ?? "?"), namespace \(k.namespace ?? "default").")
        }
        let instances = live.map { pod in
            InstanceInfo(
                instanceID: pod.name, internalIP: pod.podIP ?? "", nodeName: pod.name,
                tags: pod.labels)
        }
        var providerConfig = cluster.providerConfig
        providerConfig["context"] = k.context
        providerConfig["namespace"] = k.namespace
        if let known = knownHostsFile(clusterNameOnCloud: cluster.clusterNameOnCloud),
            FileManager.default.fileExists(atPath: known)
        {
            providerConfig["knownHostsFile"] = known
        }
        return ClusterInfo(
            provider: name, region: k.context ?? cluster.region,
            clusterNameOnCloud: cluster.clusterNameOnCloud, instances: instances,
            headInstanceID: head.name, sshUser: "root", providerConfig: providerConfig)
    }

    package func stopInstances(_ cluster: ClusterLocator, workerOnly: Bool)
        async throws(ProvisionError)
    {
        throw .unsupported(
            "Kubernetes clusters cannot be stopped (pods cannot be paused); use 'sky down "
                + "\(cluster.clusterName)' to delete the pods.")
    }

    package func commandRunners(for info: ClusterInfo) -> [any CommandRunner] {
        let k = kubectl(
            context: info.providerConfig["context"] ?? info.region,
            namespace: info.providerConfig["namespace"])
        return info.instances.map { KubectlExecRunner(pod: $0.instanceID, kubectl: k) }
    }

    // MARK: Helpers

    package func pods(_ k: Kubectl, selector: String) async throws(ProvisionError)
        -> [KubernetesPod]
    {
        do {
            return try await k.items(["get", "pods", "-l", selector]).map(KubernetesPod.init(json:))
        } catch {
            throw Self.mapped(error, context: k.context)
        }
    }

    /// `docker:<image>` from `image_id`, else `$SKY_K8S_DEFAULT_IMAGE`, else the fallback.
    package func image(_ providerConfig: [String: String]) -> String {
        if let id = providerConfig["image_id"], !id.isEmpty {
            return id.hasPrefix("docker:") ? String(id.dropFirst("docker:".count)) : id
        }
        if let image = environment["SKY_K8S_DEFAULT_IMAGE"], !image.isEmpty { return image }
        return Self.fallbackImage
    }

    /// Required node affinity for `accelerator` (nil when no node carries a GPU type label:
    /// placement then follows the GPU request alone) and the extended resource to request
    /// (`amd.com/gpu` / `google.com/tpu` when the matching nodes advertise that, else
    /// `nvidia.com/gpu`).
    func gpuPlacement(_ k: Kubectl, accelerator: String) async throws(ProvisionError)
        -> (affinity: (key: String, values: [String])?, resource: String)
    {
        let nodes: [(labels: [String: String], resource: String?)]
        do {
            nodes = try await k.items(["get", "nodes"]).map { node in
                let labels =
                    (node["metadata"] as? [String: Any])?["labels"] as? [String: String] ?? [:]
                let allocatable =
                    ((node["status"] as? [String: Any])?["allocatable"] as? [String: String]) ?? [:]
                return (labels, KubernetesGPULabels.resourceKey(allocatable: allocatable))
            }
        } catch {
            throw Self.mapped(error, context: k.context)
        }
        let labels = nodes.map(\.labels)
        guard let key = KubernetesGPULabels.detectKey(nodes: labels) else {
            let resource = nodes.compactMap(\.resource).first ?? KubernetesGPULabels.gpuResource
            return (nil, resource)
        }
        let values = KubernetesGPULabels.matchingValues(
            key: key, accelerator: accelerator, nodes: labels)
        guard !values.isEmpty else {
            throw .capacity(
                "No node of Kubernetes context \(k.context ?? "?") has accelerator \(accelerator) "
                    + "(label \(key) values: \(Set(labels.compactMap { $0[key] }).sorted().joined(separator: ", ")))."
            )
        }
        let resource =
            nodes.first { node in
                node.labels[key].map(values.contains) == true && node.resource != nil
            }?
            .resource ?? KubernetesGPULabels.gpuResource
        return ((key, values), resource)
    }

    /// User tags that are valid label keys and values (others are skipped).
    static func validLabels(_ tags: [String: String]) -> [String: String] {
        let value = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/
        let name = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/
        return tags.filter { key, val in
            key.count <= 316 && val.count <= 63 && key.wholeMatch(of: name) != nil
                && val.wholeMatch(of: value) != nil
        }
    }

    static func mapped(_ error: KubernetesError, context: String?) -> ProvisionError {
        let place = "Kubernetes context \(context ?? "(current)")"
        if error.isAuthFailure {
            return .credentials("\(place) rejected the request: \(error)")
        }
        if case .kubectlFailed(_, let detail) = error, detail.contains("exceeded quota") {
            return .quota("\(place): \(detail)")
        }
        if case .kubectlMissing = error { return .credentials("\(error)") }
        return .internal("\(place): \(error)")
    }
}
